<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>AppointmentStatus</name>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
</context>
<context>
    <name>BackOfficeArea</name>
    <message>
        <source>The shop</source>
        <translation>Салон</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Rooms and equipment</source>
        <translation>Кабинеты и оборудование</translation>
    </message>
    <message>
        <source>Retail products</source>
        <translation>Товары</translation>
    </message>
    <message>
        <source>Price list import</source>
        <translation>Импорт прайс-листа</translation>
    </message>
    <message>
        <source>Printer and scanner</source>
        <translation>Принтер и сканер</translation>
    </message>
    <message>
        <source>Guided start…</source>
        <translation>Пошаговая настройка…</translation>
    </message>
    <message>
        <source>Walk through setting up the shop again, step by step.</source>
        <translation>Ещё раз пройти настройку салона по шагам.</translation>
    </message>
</context>
<context>
    <name>CalendarArea</name>
    <message>
        <source>◀ Previous</source>
        <extracomment>What the calendar shows: bookings, paid marks, client names and allergy marks, therapists and their hours, rooms, service names; and the shop&apos;s zone and language. The day on screen (None until the first read arrives).</extracomment>
        <translation>◀ Назад</translation>
    </message>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation>Предыдущий день (Alt+Left)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Back to today (Alt+Home)</source>
        <translation>Вернуться на сегодня (Alt+Home)</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Вперёд ▶</translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation>Следующий день (Alt+Right)</translation>
    </message>
    <message>
        <source>Open client</source>
        <translation>Карта клиента</translation>
    </message>
    <message>
        <source>Open the selected appointment&apos;s client card (Enter)</source>
        <translation>Открыть карту клиента выбранной записи (Enter)</translation>
    </message>
    <message>
        <source>Check out…</source>
        <translation>Оплата…</translation>
    </message>
    <message>
        <source>Take payment for the selected appointment (F9)</source>
        <translation>Принять оплату за выбранную запись (F9)</translation>
    </message>
    <message>
        <source>loading the calendar</source>
        <translation>загрузке расписания</translation>
    </message>
    <message numerus="yes">
        <source>{date} · %n appointment(s)</source>
        <translation>
            <numerusform>{date} · %n запись</numerusform>
            <numerusform>{date} · %n записи</numerusform>
            <numerusform>{date} · %n записей</numerusform>
        </translation>
    </message>
    <message>
        <source>No therapists are set up yet.</source>
        <translation>Мастера ещё не добавлены.</translation>
    </message>
    <message>
        <source>No appointments on this day.</source>
        <translation>На этот день записей нет.</translation>
    </message>
</context>
<context>
    <name>CheckoutArea</name>
    <message>
        <source>Pick an appointment to check out.</source>
        <extracomment>What the waiting list and the quote show: visits, clients&apos; names, services, therapists. The appointment asked for (picked, or sent from the calendar) before its quote came.</extracomment>
        <translation>Выберите запись для расчёта.</translation>
    </message>
    <message>
        <source>&amp;Cash</source>
        <translation>&amp;Наличные</translation>
    </message>
    <message>
        <source>C&amp;ard</source>
        <translation>&amp;Карта</translation>
    </message>
    <message>
        <source>Amount received</source>
        <translation>Получено от клиента</translation>
    </message>
    <message>
        <source>Complete sale (F9)</source>
        <translation>Провести оплату (F9)</translation>
    </message>
    <message>
        <source>Reprint last receipt</source>
        <translation>Повторить последний чек</translation>
    </message>
    <message>
        <source>Open cash drawer</source>
        <translation>Открыть денежный ящик</translation>
    </message>
    <message>
        <source>No receipt printer is set up (printer_kind in settings).</source>
        <translation>Принтер чеков не настроен (параметр printer_kind в настройках).</translation>
    </message>
    <message>
        <source>Waiting to pay today</source>
        <translation>Ожидают оплаты сегодня</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Способ оплаты</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Получено</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Сдача</translation>
    </message>
    <message>
        <source>loading today&apos;s appointments</source>
        <translation>загрузке записей на сегодня</translation>
    </message>
    <message>
        <source>Everyone today has paid.</source>
        <translation>Сегодня все клиенты рассчитались.</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting. Pick one to take payment.</source>
        <translation>
            <numerusform>%n клиент ждёт расчёта. Выберите, кого рассчитать.</numerusform>
            <numerusform>%n клиента ждут расчёта. Выберите, кого рассчитать.</numerusform>
            <numerusform>%n клиентов ждут расчёта. Выберите, кого рассчитать.</numerusform>
        </translation>
    </message>
    <message>
        <source>loading the appointment</source>
        <translation>загрузке записи</translation>
    </message>
    <message>
        <source>{service} — {therapist} · {minutes} min    {amount}</source>
        <translation>{service} — {therapist} · {minutes} мин    {amount}</translation>
    </message>
    <message>
        <source>Total {total}  (incl. tax {tax})</source>
        <translation>Итого {total}  (в т.ч. НДС {tax})</translation>
    </message>
    <message>
        <source>Not enough yet</source>
        <translation>Пока недостаточно</translation>
    </message>
    <message>
        <source>taking the payment</source>
        <translation>приёме оплаты</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>Принимаем оплату…</translation>
    </message>
    <message>
        <source>Sale {number} complete: {total}.</source>
        <translation>Продажа {number} проведена: {total}.</translation>
    </message>
    <message>
        <source>Change due: {change}.</source>
        <translation>Сдача: {change}.</translation>
    </message>
    <message>
        <source>No receipt printer is set up.</source>
        <translation>Принтер чеков не настроен.</translation>
    </message>
    <message>
        <source>Printing receipt…</source>
        <translation>Печатаем чек…</translation>
    </message>
    <message>
        <source>reading the printer&apos;s state</source>
        <translation>проверке состояния принтера</translation>
    </message>
    <message>
        <source>Receipt printed.</source>
        <translation>Чек напечатан.</translation>
    </message>
    <message>
        <source>Receipt sent to the printer (it cannot confirm printing).</source>
        <translation>Чек отправлен на принтер (принтер не может подтвердить печать).</translation>
    </message>
    <message>
        <source>The receipt may not have printed: see unprinted receipts in the status bar.</source>
        <translation>Чек мог не напечататься: см. ненапечатанные чеки в строке состояния.</translation>
    </message>
    <message>
        <source>Receipt waiting: {why}.</source>
        <translation>Чек ждёт печати: {why}.</translation>
    </message>
    <message>
        <source>Opening the drawer…</source>
        <translation>Открываем денежный ящик…</translation>
    </message>
    <message>
        <source>Drawer opened.</source>
        <translation>Денежный ящик открыт.</translation>
    </message>
    <message>
        <source>The drawer did not open: {reason}.</source>
        <translation>Денежный ящик не открылся: {reason}.</translation>
    </message>
</context>
<context>
    <name>ClientCardView</name>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Карта клиента</translation>
    </message>
    <message>
        <source>Marketing</source>
        <translation>Рассылки</translation>
    </message>
    <message>
        <source>Client since</source>
        <translation>Клиент с</translation>
    </message>
    <message>
        <source>Paid visits</source>
        <translation>Оплаченных визитов</translation>
    </message>
    <message>
        <source>Spent in total</source>
        <translation>Всего потрачено</translation>
    </message>
    <message>
        <source>Contact and loyalty</source>
        <translation>Контакты и карта клиента</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Предпочтения</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Услуга</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>Мастер</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Visit history</source>
        <translation>История визитов</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>лёгкая</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>средняя</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>тяжёлая</translation>
    </message>
    <message>
        <source>Health information is not shown to your role.</source>
        <translation>Сведения о здоровье для вашей роли скрыты.</translation>
    </message>
    <message>
        <source>{substance} ({severity}): {notes}</source>
        <translation>{substance} ({severity}): {notes}</translation>
    </message>
    <message>
        <source>{substance} ({severity})</source>
        <translation>{substance} ({severity})</translation>
    </message>
    <message>
        <source>⚠ Allergies: {allergies}</source>
        <translation>⚠ Аллергия: {allergies}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>No known allergies.</source>
        <translation>Аллергий нет.</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>Нет карты</translation>
    </message>
    <message>
        <source>Agreed</source>
        <translation>Согласие есть</translation>
    </message>
    <message>
        <source>Not agreed</source>
        <translation>Согласия нет</translation>
    </message>
    <message>
        <source>{topic}: {value}</source>
        <translation>{topic}: {value}</translation>
    </message>
    <message>
        <source>No preferences recorded yet.</source>
        <translation>Предпочтения пока не записаны.</translation>
    </message>
</context>
<context>
    <name>ClientFormDialog</name>
    <message>
        <source>Edit client</source>
        <translation>Данные клиента</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>Новый клиент</translation>
    </message>
    <message>
        <source>First name *</source>
        <translation>Имя *</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Фамилия</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Birthday (YYYY-MM-DD)</source>
        <translation>День рождения (ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Карта клиента</translation>
    </message>
    <message>
        <source>Agrees to marketing messages</source>
        <translation>Согласие на рекламные рассылки</translation>
    </message>
    <message>
        <source>saving the client</source>
        <translation>сохранение данных клиента</translation>
    </message>
</context>
<context>
    <name>ClientResultsModel</name>
    <message>
        <source>last visit {date}</source>
        <extracomment>Rows handed to the view at a time: a screenful and more. The view asks for the rest (fetchMore) as the list is scrolled, so a keystroke lays out and measures only these.</extracomment>
        <translation>последний визит {date}</translation>
    </message>
    <message>
        <source>no visits yet</source>
        <translation>визитов ещё не было</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>нет телефона</translation>
    </message>
    <message>
        <source>no card</source>
        <translation>нет карты</translation>
    </message>
    <message>
        <source>Has allergies: see the card</source>
        <translation>Есть аллергия: см. карточку клиента</translation>
    </message>
</context>
<context>
    <name>ClientsArea</name>
    <message>
        <source>Name, phone or card number  (Ctrl+F)</source>
        <extracomment>The list now answers this text (emitted once its rows are in the model).</extracomment>
        <translation>Имя, телефон или номер карты  (Ctrl+F)</translation>
    </message>
    <message>
        <source>New client (Ctrl+N)</source>
        <translation>Новый клиент (Ctrl+N)</translation>
    </message>
    <message>
        <source>Edit client…</source>
        <translation>Изменить данные…</translation>
    </message>
    <message>
        <source>Search for a client, or scan their loyalty card.</source>
        <translation>Найдите клиента или отсканируйте его карту клиента.</translation>
    </message>
    <message>
        <source>searching clients</source>
        <translation>поиск клиентов</translation>
    </message>
    <message>
        <source>Type at least one letter, three digits, or scan a card.</source>
        <translation>Введите хотя бы одну букву или три цифры либо отсканируйте карту.</translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation>Нет клиентов по запросу «{query}».</translation>
    </message>
    <message numerus="yes">
        <source>The first %n matches: type more to narrow the list.</source>
        <translation>
            <numerusform>Первое %n совпадение: уточните запрос.</numerusform>
            <numerusform>Первые %n совпадения: уточните запрос.</numerusform>
            <numerusform>Первые %n совпадений: уточните запрос.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n клиент</numerusform>
            <numerusform>%n клиента</numerusform>
            <numerusform>%n клиентов</numerusform>
        </translation>
    </message>
    <message>
        <source>opening the client card</source>
        <translation>открытие карточки клиента</translation>
    </message>
</context>
<context>
    <name>DayGrid</name>
    <message>
        <source>Has allergies: check the client card</source>
        <extracomment>The client card&apos;s visit history names statuses with the calendar&apos;s words.</extracomment>
        <translation>Есть аллергия: смотрите карту клиента</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Выходной</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>The first name</source>
        <extracomment>What a form field is called inside an error sentence (&quot;{label} is at most 60 characters.&quot;).</extracomment>
        <translation>Имя</translation>
    </message>
    <message>
        <source>The last name</source>
        <translation>Фамилия</translation>
    </message>
    <message>
        <source>The phone number</source>
        <translation>Номер телефона</translation>
    </message>
    <message>
        <source>The e-mail address</source>
        <translation>Адрес эл. почты</translation>
    </message>
    <message>
        <source>The birthday</source>
        <translation>Дата рождения</translation>
    </message>
    <message>
        <source>The card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <source>The allergy</source>
        <translation>Аллерген</translation>
    </message>
    <message>
        <source>The notes</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>The preference</source>
        <translation>Тема пожелания</translation>
    </message>
    <message>
        <source>What the client prefers</source>
        <translation>Пожелание клиента</translation>
    </message>
    <message>
        <source>The name</source>
        <translation>Имя</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <source>Creating the owner&apos;s account…</source>
        <translation>Создаём учётную запись владельца…</translation>
    </message>
    <message>
        <source>Welcome to FrontDesk</source>
        <translation>Добро пожаловать в FrontDesk</translation>
    </message>
    <message>
        <source>This database has no staff yet. Create the owner&apos;s account to start. (To try FrontDesk with sample data instead, quit and run `frontdesk demo`.)</source>
        <translation>В этой базе ещё нет сотрудников. Чтобы начать, создайте учётную запись владельца. (Чтобы попробовать FrontDesk на примерах, закройте программу и выполните `frontdesk demo`.)</translation>
    </message>
    <message>
        <source>Owner&apos;s name</source>
        <translation>Имя владельца</translation>
    </message>
    <message>
        <source>PIN (4-8 digits)</source>
        <translation>PIN-код (4–8 цифр)</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>PIN-код ещё раз</translation>
    </message>
    <message>
        <source>Create owner and sign in</source>
        <translation>Создать владельца и войти</translation>
    </message>
    <message>
        <source>creating the owner</source>
        <translation>создании владельца</translation>
    </message>
</context>
<context>
    <name>FrontDeskApp</name>
    <message>
        <source>Starting FrontDesk…</source>
        <extracomment>The start begins when the first window is painted, or after this long if it never is. The one database worker: actions run in order, off the GUI thread.</extracomment>
        <translation>Запускаем FrontDesk…</translation>
    </message>
    <message>
        <source>Create a new database at {path}?</source>
        <translation>Создать новую базу данных в {path}?</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>Проверяем базу данных…</translation>
    </message>
    <message>
        <source>Creating the database…</source>
        <translation>Создаём базу данных…</translation>
    </message>
    <message>
        <source>FrontDesk cannot start</source>
        <translation>FrontDesk не может запуститься</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Управляющий</translation>
    </message>
    <message>
        <source>Receptionist</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>Мастер</translation>
    </message>
    <message>
        <source>seeing the calendar</source>
        <translation>просмотр журнала записи</translation>
    </message>
    <message>
        <source>booking appointments</source>
        <translation>запись клиентов</translation>
    </message>
    <message>
        <source>opening client cards</source>
        <translation>открытие карт клиентов</translation>
    </message>
    <message>
        <source>editing clients</source>
        <translation>редактирование клиентов</translation>
    </message>
    <message>
        <source>seeing allergies and health notes</source>
        <translation>просмотр аллергий и заметок о здоровье</translation>
    </message>
    <message>
        <source>recording allergies and health notes</source>
        <translation>внесение аллергий и заметок о здоровье</translation>
    </message>
    <message>
        <source>taking payments</source>
        <translation>приём оплаты</translation>
    </message>
    <message>
        <source>giving refunds</source>
        <translation>оформление возвратов</translation>
    </message>
    <message>
        <source>opening the cash drawer</source>
        <translation>открытие денежного ящика</translation>
    </message>
    <message>
        <source>reprinting receipts</source>
        <translation>повторная печать чеков</translation>
    </message>
    <message>
        <source>seeing money reports</source>
        <translation>просмотр финансовых отчётов</translation>
    </message>
    <message>
        <source>opening the back office</source>
        <translation>открывать управление салоном</translation>
    </message>
    <message>
        <source>changing the shop&apos;s details</source>
        <translation>изменять данные салона</translation>
    </message>
    <message>
        <source>managing staff</source>
        <translation>управление сотрудниками</translation>
    </message>
    <message>
        <source>changing services, products and prices</source>
        <translation>изменять услуги, товары и цены</translation>
    </message>
    <message>
        <source>adjusting stock</source>
        <translation>корректировать остатки</translation>
    </message>
    <message>
        <source>setting up the printer and scanner</source>
        <translation>настраивать принтер и сканер</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>Ожидается</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>Клиент пришёл</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Завершена</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменена</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>Не пришёл</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Банковская карта</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>FrontDesk — {shop}</source>
        <translation>FrontDesk — {shop}</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Журнал записи</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Клиенты</translation>
    </message>
    <message>
        <source>Checkout</source>
        <translation>Касса</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Отчёты</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>Управление</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>Вход выполнен: {name} ({role})</translation>
    </message>
    <message>
        <source>⚠ Receipt printer settings</source>
        <translation>⚠ Настройки чекового принтера</translation>
    </message>
    <message>
        <source>Checkout is for the front desk.</source>
        <translation>Касса — для администраторов.</translation>
    </message>
    <message>
        <source>Money reports are for owners and managers.</source>
        <translation>Финансовые отчёты доступны только владельцу и управляющему.</translation>
    </message>
    <message>
        <source>The back office is for owners and managers.</source>
        <translation>Управление салоном доступно только владельцу и управляющему.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Reprint receipt…</source>
        <translation>&amp;Повторно распечатать чек…</translation>
    </message>
    <message>
        <source>Reprints are for the front desk and managers.</source>
        <translation>Повторная печать чеков — для администраторов и управляющего.</translation>
    </message>
    <message>
        <source>No receipt printer is set up (printer_kind).</source>
        <translation>Чековый принтер не настроен (printer_kind).</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>В&amp;ыйти из учётной записи</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Закрыть программу</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>П&amp;ереход</translation>
    </message>
    <message>
        <source>&amp;Find client</source>
        <translation>&amp;Найти клиента</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Calendar, Clients, Checkout, Reports, Back office</source>
        <translation>Журнал записи, клиенты, касса, отчёты, управление</translation>
    </message>
    <message>
        <source>Find a client</source>
        <translation>Найти клиента</translation>
    </message>
    <message>
        <source>New client (in Clients)</source>
        <translation>Новый клиент (в разделе «Клиенты»)</translation>
    </message>
    <message>
        <source>Previous / next day / today</source>
        <translation>Предыдущий / следующий день / сегодня</translation>
    </message>
    <message>
        <source>Open the selected appointment&apos;s client</source>
        <translation>Открыть карточку клиента выбранной записи</translation>
    </message>
    <message>
        <source>Check out the selected appointment / complete the sale</source>
        <translation>Рассчитать выбранную запись / провести оплату</translation>
    </message>
    <message>
        <source>Create the end-of-day PDF (in Reports)</source>
        <translation>Сформировать PDF-отчёт за день (в разделе «Отчёты»)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Выйти из учётной записи</translation>
    </message>
    <message>
        <source>The scan could not be read. Please scan again.</source>
        <translation>Код не считался. Отсканируйте ещё раз.</translation>
    </message>
    <message>
        <source>Card {code}: {name}</source>
        <translation>Карта клиента {code}: {name}</translation>
    </message>
    <message>
        <source>looking up a scanned card</source>
        <translation>поиске отсканированной карты клиента</translation>
    </message>
    <message>
        <source>checking the receipt printer settings</source>
        <translation>проверке настроек чекового принтера</translation>
    </message>
    <message>
        <source>Receipt printer settings</source>
        <translation>Настройки чекового принтера</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) have not printed yet.</source>
        <translation>
            <numerusform>%n чек ещё не распечатан.</numerusform>
            <numerusform>%n чека ещё не распечатаны.</numerusform>
            <numerusform>%n чеков ещё не распечатаны.</numerusform>
        </translation>
    </message>
    <message>
        <source>They stay queued and print next time. Quit anyway?</source>
        <translation>Они останутся в очереди и распечатаются при следующем запуске. Всё равно выйти?</translation>
    </message>
    <message>
        <source>Receipts waiting</source>
        <translation>Чеки ждут печати</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>Working…</source>
        <extracomment>Under this, an action feels instant and no dialog flashes up.</extracomment>
        <translation>Выполняется…</translation>
    </message>
</context>
<context>
    <name>PrinterStatus</name>
    <message>
        <source>Printer: not set up</source>
        <extracomment>Conditions in which a queued receipt waits instead of printing.</extracomment>
        <translation>Принтер: не настроен</translation>
    </message>
    <message>
        <source>Printer: not checked yet</source>
        <translation>Принтер: ещё не проверен</translation>
    </message>
    <message>
        <source>Printer ready</source>
        <translation>Принтер готов</translation>
    </message>
    <message>
        <source>Printer: receipts sent (it cannot confirm printing)</source>
        <translation>Принтер: чеки отправлены (печать не подтверждается)</translation>
    </message>
    <message>
        <source>Printer: reached (it cannot report paper or errors)</source>
        <translation>Принтер: на связи (не сообщает о бумаге и ошибках)</translation>
    </message>
    <message>
        <source>Printer offline</source>
        <translation>Принтер не в сети</translation>
    </message>
    <message>
        <source>Printer out of paper</source>
        <translation>В принтере закончилась бумага</translation>
    </message>
    <message>
        <source>Printer cover open</source>
        <translation>Открыта крышка принтера</translation>
    </message>
    <message>
        <source>Printer not responding</source>
        <translation>Принтер не отвечает</translation>
    </message>
    <message>
        <source>Printing is done by the other FrontDesk on this computer</source>
        <translation>Печатает другая копия FrontDesk на этом компьютере</translation>
    </message>
    <message>
        <source>the printer did not confirm it</source>
        <translation>принтер не подтвердил печать</translation>
    </message>
    <message>
        <source>it could not be prepared</source>
        <translation>чек не удалось подготовить</translation>
    </message>
    <message>
        <source>the program stopped while sending it</source>
        <translation>программа остановилась во время отправки</translation>
    </message>
    <message>
        <source>Print {number} — may not have printed ({why})</source>
        <translation>Напечатать {number} — мог не напечататься ({why})</translation>
    </message>
    <message>
        <source>Retry printing</source>
        <extracomment>A flush ended; carries the :class:`PrintRun` (on the GUI thread).</extracomment>
        <translation>Повторить печать</translation>
    </message>
    <message>
        <source>Set printer_kind in settings.toml to print receipts.</source>
        <translation>Чтобы печатать чеки, укажите printer_kind в settings.toml.</translation>
    </message>
    <message numerus="yes">
        <source>{state} · %n waiting</source>
        <translation>
            <numerusform>{state} · в очереди %n чек</numerusform>
            <numerusform>{state} · в очереди %n чека</numerusform>
            <numerusform>{state} · в очереди %n чеков</numerusform>
        </translation>
    </message>
    <message>
        <source>Check printer</source>
        <translation>Проверить принтер</translation>
    </message>
    <message numerus="yes">
        <source>%n unprinted</source>
        <translation>
            <numerusform>%n чек не напечатан</numerusform>
            <numerusform>%n чека не напечатаны</numerusform>
            <numerusform>%n чеков не напечатано</numerusform>
        </translation>
    </message>
    <message>
        <source>Receipts that may not have printed</source>
        <translation>Чеки, которые могли не напечататься</translation>
    </message>
    <message>
        <source>printing the receipt again</source>
        <translation>повторной печати чека</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Печать…</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Show archived</source>
        <extracomment>Emitted with the record&apos;s id after it was saved (tests and the guided start wait on it). Kinds of change that may alter this page&apos;s records. Whether records of this kind can be archived (and so restored).</extracomment>
        <translation>Показать архивные</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>В архив</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Вернуть из архива</translation>
    </message>
    <message>
        <source>reading the list</source>
        <translation>чтение списка</translation>
    </message>
    <message>
        <source>opening a record</source>
        <translation>открытие записи</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>сохранение</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>archiving</source>
        <translation>перенос в архив</translation>
    </message>
    <message>
        <source>restoring</source>
        <translation>возврат из архива</translation>
    </message>
</context>
<context>
    <name>ReportsArea</name>
    <message>
        <source>Create end-of-day PDF (Ctrl+P)</source>
        <extracomment>The figures in the table (None until a report was created).</extracomment>
        <translation>Сформировать отчёт за день в PDF (Ctrl+P)</translation>
    </message>
    <message>
        <source>Pick a day and create its end-of-day report.</source>
        <translation>Выберите день и сформируйте отчёт за день.</translation>
    </message>
    <message>
        <source>Takings</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>End of day</source>
        <translation>Закрытие дня</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <source>Money reports are for owners and managers.</source>
        <translation>Финансовые отчёты доступны только владельцу и управляющему.</translation>
    </message>
    <message>
        <source>Not saved: {path} was left as it is.</source>
        <translation>Не сохранено: файл {path} оставлен без изменений.</translation>
    </message>
    <message>
        <source>Creating the report for {day}…</source>
        <translation>Формируется отчёт за {day}…</translation>
    </message>
    <message>
        <source>creating the end-of-day report</source>
        <translation>формировании отчёта за день</translation>
    </message>
    <message>
        <source>Reading the day&apos;s sales…</source>
        <translation>Загружаются продажи за день…</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>Сохраняется PDF…</translation>
    </message>
    <message>
        <source>The report could not be saved: {reason}.</source>
        <translation>Не удалось сохранить отчёт: {reason}.</translation>
    </message>
    <message>
        <source>The report could not be created.</source>
        <translation>Не удалось сформировать отчёт.</translation>
    </message>
    <message>
        <source>writing the end-of-day PDF</source>
        <translation>сохранении PDF-отчёта за день</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Сохранено: {path}</translation>
    </message>
    <message>
        <source>No sales were recorded on this day.</source>
        <translation>В этот день продаж не было.</translation>
    </message>
    <message>
        <source>backing up the day so far</source>
        <translation>резервном копировании данных за день</translation>
    </message>
    <message>
        <source>Backing up the day so far…</source>
        <translation>Создаётся резервная копия за день…</translation>
    </message>
    <message>
        <source>Backup of the day so far saved to {path}</source>
        <translation>Резервная копия за день сохранена: {path}</translation>
    </message>
    <message>
        <source>The backup of the day so far failed: {problem}</source>
        <translation>Не удалось создать резервную копию за день: {problem}</translation>
    </message>
    <message>
        <source>{path} exists and is not a PDF. Replace it?</source>
        <translation>Файл {path} уже существует и это не PDF. Заменить его?</translation>
    </message>
    <message numerus="yes">
        <source>%n payment(s)</source>
        <translation>
            <numerusform>%n оплата</numerusform>
            <numerusform>%n оплаты</numerusform>
            <numerusform>%n оплат</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n услуга</numerusform>
            <numerusform>%n услуги</numerusform>
            <numerusform>%n услуг</numerusform>
        </translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>Продажи</translation>
    </message>
    <message>
        <source>Gross takings</source>
        <translation>Выручка</translation>
    </message>
    <message>
        <source>of which tax</source>
        <translation>в том числе налог</translation>
    </message>
    <message>
        <source>Average sale</source>
        <translation>Средний чек</translation>
    </message>
    <message>
        <source>Cash expected in drawer</source>
        <translation>Наличных в кассе должно быть</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>По способам оплаты</translation>
    </message>
    <message>
        <source>{method} ({payments})</source>
        <translation>{method} ({payments})</translation>
    </message>
    <message>
        <source>By therapist</source>
        <translation>По мастерам</translation>
    </message>
    <message>
        <source>{therapist} ({services})</source>
        <translation>{therapist} ({services})</translation>
    </message>
    <message>
        <source>Sales changed since the PDF was saved: create it again to include them.</source>
        <translation>После сохранения PDF продажи изменились: сформируйте отчёт заново, чтобы их учесть.</translation>
    </message>
    <message>
        <source>counting the day&apos;s sales</source>
        <translation>подсчёте продаж за день</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>reprinting the receipt</source>
        <translation>повторной печати чека</translation>
    </message>
    <message>
        <source>Copy of receipt {number} queued for the printer.</source>
        <translation>Копия чека {number} поставлена в очередь на печать.</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <extracomment>A copy was queued; carries its receipt number.</extracomment>
        <translation>Повторная печать чека</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Напечатать копию</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Номер чека</translation>
    </message>
    <message>
        <source>The copy is marked COPY and never opens the cash drawer.</source>
        <translation>На копии будет пометка «КОПИЯ», денежный ящик не откроется.</translation>
    </message>
    <message>
        <source>Enter the receipt number printed on the receipt.</source>
        <translation>Введите номер, напечатанный на чеке.</translation>
    </message>
</context>
<context>
    <name>ScannerStatus</name>
    <message>
        <source>Serial scanner on {port}</source>
        <translation>Сканер на порту {port}</translation>
    </message>
    <message>
        <source>No scanner configured</source>
        <translation>Сканер не настроен</translation>
    </message>
    <message>
        <source>Scanner: not set up</source>
        <translation>Сканер: не настроен</translation>
    </message>
    <message>
        <source>Scanner: stopped</source>
        <translation>Сканер: остановлен</translation>
    </message>
    <message>
        <source>Scanner: opening {port}</source>
        <translation>Сканер: подключение к {port}</translation>
    </message>
    <message>
        <source>Scanner: connected</source>
        <translation>Сканер: подключён</translation>
    </message>
    <message>
        <source>Scanner: waiting for {port}</source>
        <translation>Сканер: ожидание {port}</translation>
    </message>
    <message>
        <source>Scanner: error</source>
        <translation>Сканер: ошибка</translation>
    </message>
    <message>
        <source>Scanner: error ({reason})</source>
        <translation>Сканер: ошибка ({reason})</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>нет доступа</translation>
    </message>
    <message>
        <source>in use by another program</source>
        <translation>занят другой программой</translation>
    </message>
    <message>
        <source>not a serial port</source>
        <translation>это не последовательный порт</translation>
    </message>
    <message>
        <source>not a valid port setting</source>
        <translation>неверная настройка порта</translation>
    </message>
    <message>
        <source>Set scanner_port in settings.toml to use a serial barcode scanner.</source>
        <translation>Чтобы подключить сканер штрихкодов, укажите scanner_port в settings.toml.</translation>
    </message>
    <message>
        <source>Plug the scanner in, or check the scanner_port setting. FrontDesk connects by itself as soon as the device appears.</source>
        <translation>Подключите сканер или проверьте настройку scanner_port. FrontDesk подключится сам, как только устройство появится.</translation>
    </message>
    <message>
        <source>On Linux, add this user to the &apos;dialout&apos; group and log in again.</source>
        <translation>В Linux добавьте этого пользователя в группу &apos;dialout&apos; и войдите в систему заново.</translation>
    </message>
    <message>
        <source>Close the other program that uses the scanner (or another FrontDesk window); FrontDesk keeps trying.</source>
        <translation>Закройте другую программу, которая использует сканер (или другое окно FrontDesk); FrontDesk продолжает попытки подключиться.</translation>
    </message>
    <message>
        <source>Check the port name in the scanner_port setting: {port} is not a serial port.</source>
        <translation>Проверьте имя порта в настройке scanner_port: {port} — не последовательный порт.</translation>
    </message>
    <message>
        <source>Check the scanner_port setting: {port} is neither a device path nor a pyserial URL.</source>
        <translation>Проверьте настройку scanner_port: {port} — это не путь к устройству и не адрес pyserial.</translation>
    </message>
    <message>
        <source>FrontDesk keeps trying. Check the cable and the scanner_port setting.</source>
        <translation>FrontDesk продолжает попытки подключиться. Проверьте кабель и настройку scanner_port.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Checking your PIN…</source>
        <translation>Проверяем PIN-код…</translation>
    </message>
    <message>
        <source>Sign in — {shop}</source>
        <extracomment>STAFF_ID_ROLE. Touching PySide6&apos;s `Qt` namespace builds all of its enums (a sixth of a second here), which the first window can do without.</extracomment>
        <translation>Вход — {shop}</translation>
    </message>
    <message>
        <source>Who is at the desk?</source>
        <translation>Кто за стойкой?</translation>
    </message>
    <message>
        <source>PIN (4-8 digits)</source>
        <translation>PIN-код (4–8 цифр)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN-код</translation>
    </message>
    <message>
        <source>Nobody can sign in: every staff account is inactive.</source>
        <translation>Войти некому: все учётные записи сотрудников отключены.</translation>
    </message>
    <message>
        <source>Pick your name first.</source>
        <translation>Сначала выберите своё имя.</translation>
    </message>
    <message>
        <source>checking the PIN</source>
        <translation>проверке PIN-кода</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>Использование: </translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>позиционные аргументы</translation>
    </message>
    <message>
        <source>options</source>
        <translation>параметры</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>показать эту справку и выйти</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>“{text}” is not a date (use YYYY-MM-DD)</source>
        <translation>«{text}» — не дата (формат ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number</source>
        <translation>«{text}» — не целое число</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>должно быть не меньше 1</translation>
    </message>
    <message>
        <source>database URL or SQLite file (default: $FRONTDESK_DATABASE_URL, then frontdesk.sqlite3 in the user data folder); may be given before or after the command</source>
        <translation>URL базы данных или файл SQLite (по умолчанию — $FRONTDESK_DATABASE_URL, затем frontdesk.sqlite3 в папке данных пользователя); можно указать до или после команды</translation>
    </message>
    <message>
        <source>FrontDesk backs up SQLite files only. For PostgreSQL use the server&apos;s own tools: `pg_dump --format=custom --file=frontdesk.dump DBNAME` to back up and `pg_restore --clean --if-exists --dbname=DBNAME frontdesk.dump` to restore (see the README).</source>
        <translation>FrontDesk делает резервные копии только файлов SQLite. Для PostgreSQL используйте средства самого сервера: `pg_dump --format=custom --file=frontdesk.dump DBNAME` — резервная копия, `pg_restore --clean --if-exists --dbname=DBNAME frontdesk.dump` — восстановление (см. README).</translation>
    </message>
    <message>
        <source>Front desk and point of sale for spas, salons and bathhouses.</source>
        <translation>Администратор и касса для спа, салонов и бань.</translation>
    </message>
    <message>
        <source>open the front desk window (the default)</source>
        <translation>открыть окно администратора (по умолчанию)</translation>
    </message>
    <message>
        <source>Open the front desk window.</source>
        <translation>Открыть окно администратора.</translation>
    </message>
    <message>
        <source>build a demo spa database</source>
        <translation>создать демо-базу салона</translation>
    </message>
    <message>
        <source>Build a realistic, deterministic demo spa database.</source>
        <translation>Создать правдоподобную демо-базу салона (при одинаковых параметрах — одинаковую).</translation>
    </message>
    <message>
        <source>number of clients (default 3000; 1000000 works for benchmarks)</source>
        <translation>число клиентов (по умолчанию 3000; для замеров скорости подойдёт 1000000)</translation>
    </message>
    <message>
        <source>language of names and texts (default en)</source>
        <translation>язык имён и текстов (по умолчанию en)</translation>
    </message>
    <message>
        <source>random seed (default 7)</source>
        <translation>начальное значение генератора случайных чисел (по умолчанию 7)</translation>
    </message>
    <message>
        <source>replace an existing SQLite file at --db</source>
        <translation>заменить существующий файл SQLite по пути --db</translation>
    </message>
    <message>
        <source>write reports</source>
        <translation>сформировать отчёты</translation>
    </message>
    <message>
        <source>Write reports as PDF files.</source>
        <translation>Сохранить отчёты в PDF.</translation>
    </message>
    <message>
        <source>end-of-day PDF</source>
        <translation>отчёт за день в PDF</translation>
    </message>
    <message>
        <source>Write the end-of-day report of one day as a PDF. Writing today&apos;s report also takes an automatic backup of the day so far.</source>
        <translation>Сохранить отчёт за день в PDF. Вместе с отчётом за сегодня автоматически делается резервная копия за день на этот момент.</translation>
    </message>
    <message>
        <source>shop-local day as YYYY-MM-DD (default: today)</source>
        <translation>день по времени салона в формате ГГГГ-ММ-ДД (по умолчанию — сегодня)</translation>
    </message>
    <message>
        <source>where to write the PDF</source>
        <translation>куда сохранить PDF</translation>
    </message>
    <message>
        <source>replace --out even if it is not a PDF file</source>
        <translation>заменить файл --out, даже если это не PDF</translation>
    </message>
    <message>
        <source>database maintenance</source>
        <translation>обслуживание базы данных</translation>
    </message>
    <message>
        <source>Database maintenance.</source>
        <translation>Обслуживание базы данных.</translation>
    </message>
    <message>
        <source>create a new, empty shop database</source>
        <translation>создать новую пустую базу салона</translation>
    </message>
    <message>
        <source>Create a new database at --db with this program&apos;s schema (the only way, besides the first run on the default location, that FrontDesk creates a database file).</source>
        <translation>Создать новую базу по пути --db со схемой этой версии программы (кроме первого запуска в папке по умолчанию, только так FrontDesk создаёт файл базы).</translation>
    </message>
    <message>
        <source>migrate the database to this version</source>
        <translation>обновить базу до этой версии</translation>
    </message>
    <message>
        <source>Upgrade an existing database: migrate it to this program&apos;s schema.</source>
        <translation>Обновить существующую базу: привести её к схеме этой версии программы.</translation>
    </message>
    <message>
        <source>back up the database</source>
        <translation>сделать резервную копию базы</translation>
    </message>
    <message>
        <source>Copy the SQLite database with SQLite&apos;s online backup API (safe while the shop is working), by default into the backups folder with a timestamped name.</source>
        <translation>Скопировать базу SQLite через механизм онлайн-резервирования SQLite (безопасно во время работы салона), по умолчанию — в папку резервных копий, в файл с датой и временем в имени.</translation>
    </message>
    <message>
        <source>where to write the backup</source>
        <translation>куда сохранить резервную копию</translation>
    </message>
    <message>
        <source>replace the database with a backup</source>
        <translation>заменить базу резервной копией</translation>
    </message>
    <message>
        <source>Check a backup, back up the current database, then copy the backup into it.</source>
        <translation>Проверить резервную копию, сохранить копию текущей базы, затем восстановить базу из резервной копии.</translation>
    </message>
    <message>
        <source>the backup to restore</source>
        <translation>резервная копия для восстановления</translation>
    </message>
    <message>
        <source>receipts of stored sales</source>
        <translation>чеки сохранённых продаж</translation>
    </message>
    <message>
        <source>Receipts of stored sales.</source>
        <translation>Чеки сохранённых продаж.</translation>
    </message>
    <message>
        <source>print a copy of a stored receipt</source>
        <translation>напечатать копию сохранённого чека</translation>
    </message>
    <message>
        <source>Send a copy of a stored receipt, marked COPY in the shop&apos;s language, to the receipt printer in the settings (a file printer writes the bytes to its file). The copy never opens the cash drawer, and the reprint is written to the audit log. Exit codes: 0 printed, 1 no such receipt, 3 no printer or the printer is unavailable.</source>
        <translation>Отправить копию сохранённого чека с пометкой «КОПИЯ» на языке салона на чековый принтер из настроек (файловый принтер записывает данные в свой файл). Копия никогда не открывает денежный ящик, а повторная печать записывается в журнал действий. Коды выхода: 0 — напечатано, 1 — такого чека нет, 3 — принтера нет или он недоступен.</translation>
    </message>
    <message>
        <source>receipt number, e.g. R-000123 or 123</source>
        <translation>номер чека, например R-000123 или 123</translation>
    </message>
    <message>
        <source>list every setting with its value</source>
        <translation>показать все настройки и их значения</translation>
    </message>
    <message>
        <source>List every setting, its current value and what it does.</source>
        <translation>Показать каждую настройку, её текущее значение и назначение.</translation>
    </message>
    <message>
        <source>No receipt printer is set up (set printer_kind in the settings file); the receipt was not reprinted.</source>
        <translation>Чековый принтер не настроен (укажите printer_kind в файле настроек); копия чека не напечатана.</translation>
    </message>
    <message>
        <source>Receipt {number} reprinted as a copy on {printer}.</source>
        <translation>Копия чека {number} напечатана на {printer}.</translation>
    </message>
    <message>
        <source>{problem}; the receipt was not reprinted.</source>
        <translation>{problem}; копия чека не напечатана.</translation>
    </message>
    <message>
        <source>{path} is a folder; give the demo database a file name.</source>
        <translation>{path} — это папка; укажите имя файла для демо-базы.</translation>
    </message>
    <message>
        <source>{path} already exists; add --force to replace it.</source>
        <translation>{path} уже существует; чтобы заменить, добавьте --force.</translation>
    </message>
    <message>
        <source>Demo spa ready in {seconds} s: {clients} clients, {staff} staff, {appointments} appointments, {sales} sales -&gt; {database}</source>
        <translation>Демо-салон готов за {seconds} с: клиентов {clients}, сотрудников {staff}, записей {appointments}, продаж {sales} -&gt; {database}</translation>
    </message>
    <message>
        <source>Every demo staff member&apos;s PIN is {pin}.</source>
        <translation>PIN-код всех демо-сотрудников — {pin}.</translation>
    </message>
    <message>
        <source>{out} is a folder; give the report a file name, e.g. {example}</source>
        <translation>{out} — это папка; укажите имя файла отчёта, например {example}</translation>
    </message>
    <message>
        <source>cannot write {out}: {folder} is a file, not a folder.</source>
        <translation>не удаётся записать {out}: {folder} — это файл, а не папка.</translation>
    </message>
    <message>
        <source>cannot write {out}: the folder {folder} does not exist.</source>
        <translation>не удаётся записать {out}: папки {folder} нет.</translation>
    </message>
    <message>
        <source>{out} exists and is not a PDF; add --force to replace it.</source>
        <translation>{out} уже существует, и это не PDF; чтобы заменить, добавьте --force.</translation>
    </message>
    <message>
        <source>cannot write {out}: {reason}.</source>
        <translation>не удаётся записать {out}: {reason}.</translation>
    </message>
    <message>
        <source>End-of-day report for {day} written to {out}</source>
        <translation>Отчёт за день {day} сохранён в {out}</translation>
    </message>
    <message>
        <source>Backup of the day so far saved to {file}</source>
        <translation>Резервная копия за сегодня сохранена в {file}</translation>
    </message>
    <message>
        <source>the backup of the day so far failed: {problem}</source>
        <translation>не удалось сделать резервную копию за сегодня: {problem}</translation>
    </message>
    <message>
        <source>{path} already exists; use `frontdesk db upgrade` to migrate it.</source>
        <translation>{path} уже существует; чтобы обновить базу, выполните `frontdesk db upgrade`.</translation>
    </message>
    <message>
        <source>{database} already holds a FrontDesk database.</source>
        <translation>В {database} уже есть база FrontDesk.</translation>
    </message>
    <message>
        <source>New FrontDesk database created at {database} (schema {schema}).</source>
        <translation>Новая база FrontDesk создана: {database} (версия схемы {schema}).</translation>
    </message>
    <message>
        <source>{database} is up to date (schema {schema}).</source>
        <translation>База {database} не требует обновления (версия схемы {schema}).</translation>
    </message>
    <message>
        <source>{database} upgraded from an empty database to schema {after}.</source>
        <translation>База {database} обновлена: из пустой до версии схемы {after}.</translation>
    </message>
    <message>
        <source>{database} upgraded from schema {before} to {after}.</source>
        <translation>База {database} обновлена с версии схемы {before} до {after}.</translation>
    </message>
    <message>
        <source>Backed up {database} to {copy}</source>
        <translation>Резервная копия {database} сохранена в {copy}</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file.</source>
        <translation>{path} — это папка, а не файл базы данных.</translation>
    </message>
    <message>
        <source>{backup} is the database itself; name a backup file.</source>
        <translation>{backup} — это сама база; укажите файл резервной копии.</translation>
    </message>
    <message>
        <source>Restored {backup} into {database}.</source>
        <translation>Резервная копия {backup} восстановлена в {database}.</translation>
    </message>
    <message>
        <source>Restored {backup} into {database}. The database as it was is saved in {saved}.</source>
        <translation>Резервная копия {backup} восстановлена в {database}. Прежняя база сохранена в {saved}.</translation>
    </message>
    <message>
        <source>(default {value})</source>
        <translation>(по умолчанию {value})</translation>
    </message>
    <message>
        <source>Warning: {warning}</source>
        <translation>Внимание: {warning}</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>прервано</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>FrontDesk</source>
        <translation>FrontDesk</translation>
    </message>
    <message>
        <source>FrontDesk: unexpected error</source>
        <translation>FrontDesk: непредвиденная ошибка</translation>
    </message>
    <message>
        <source>Something went wrong while {doing}. Nothing was half-saved; the log has the details under reference {reference}.</source>
        <translation>При {doing} произошла ошибка. Ничего не сохранено наполовину; подробности — в журнале под номером {reference}.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN-код — от 4 до 8 цифр.</translation>
    </message>
    <message>
        <source>A birthday cannot be in the future.</source>
        <translation>Дата рождения не может быть в будущем.</translation>
    </message>
    <message>
        <source>A cancelled or missed appointment cannot be checked out.</source>
        <translation>Отменённую запись или запись, на которую клиент не пришёл, оплатить нельзя.</translation>
    </message>
    <message>
        <source>A card payment is for the exact amount due.</source>
        <translation>Картой оплачивается только точная сумма к оплате.</translation>
    </message>
    <message>
        <source>A price cannot be negative.</source>
        <translation>Цена не может быть отрицательной.</translation>
    </message>
    <message>
        <source>A rate cannot be negative.</source>
        <translation>Ставка не может быть отрицательной.</translation>
    </message>
    <message>
        <source>A rate cannot be over 100 %.</source>
        <translation>Ставка не может быть больше 100 %.</translation>
    </message>
    <message>
        <source>A sale needs at least one line.</source>
        <translation>В продаже должна быть хотя бы одна позиция.</translation>
    </message>
    <message>
        <source>A value is too long or holds characters the database cannot store. Nothing was saved. (reference {reference})</source>
        <translation>Одно из значений слишком длинное или содержит символы, которые база данных не может сохранить. Ничего не сохранено. (номер {reference})</translation>
    </message>
    <message>
        <source>Another client already has that card.</source>
        <translation>Эта карта уже выдана другому клиенту.</translation>
    </message>
    <message>
        <source>Cannot connect to the database server {where}: {reason}</source>
        <translation>Не удаётся подключиться к серверу базы данных {where}: {reason}</translation>
    </message>
    <message>
        <source>Cannot create the database {path}: {reason}.</source>
        <translation>Не удаётся создать базу данных {path}: {reason}.</translation>
    </message>
    <message>
        <source>Cannot create {database}: {reason}.</source>
        <translation>Не удаётся создать {database}: {reason}.</translation>
    </message>
    <message>
        <source>Cannot keep a copy of {database} before restoring: {reason}; nothing was replaced.</source>
        <translation>Не удаётся сохранить копию {database} перед восстановлением: {reason}; ничего не заменено.</translation>
    </message>
    <message>
        <source>Cannot write a backup at {path}: {reason}.</source>
        <translation>Не удаётся записать резервную копию в {path}: {reason}.</translation>
    </message>
    <message>
        <source>Choose mild, moderate or severe.</source>
        <translation>Выберите степень: лёгкая, средняя или тяжёлая.</translation>
    </message>
    <message>
        <source>Enter a rate in per cent, e.g. 20.</source>
        <translation>Введите ставку в процентах, например 20.</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <translation>Введите сумму.</translation>
    </message>
    <message>
        <source>Enter the client&apos;s first name.</source>
        <translation>Введите имя клиента.</translation>
    </message>
    <message>
        <source>Name the preference (e.g. pressure).</source>
        <translation>Укажите тему пожелания (например, сила нажима).</translation>
    </message>
    <message>
        <source>Name what the client is allergic to.</source>
        <translation>Укажите, на что у клиента аллергия.</translation>
    </message>
    <message>
        <source>No client has loyalty card {code}.</source>
        <translation>Клиент с картой {code} не найден.</translation>
    </message>
    <message>
        <source>No such staff member.</source>
        <translation>Такого сотрудника нет.</translation>
    </message>
    <message>
        <source>Quantity must be at least 1.</source>
        <translation>Количество должно быть не меньше 1.</translation>
    </message>
    <message>
        <source>Refunds are not taken at checkout.</source>
        <translation>Возврат нельзя оформить при расчёте.</translation>
    </message>
    <message>
        <source>Restoring {backup} did not finish within {seconds:.0f} s (the database stayed busy). The database as it was is saved in {safety}.</source>
        <translation>Восстановление из {backup} не завершилось за {seconds:.0f} с (база данных была занята). Прежняя база сохранена в {safety}.</translation>
    </message>
    <message>
        <source>Restoring {backup} into {database} failed ({reason}). The database as it was is saved in {safety}.</source>
        <translation>Не удалось восстановить {backup} в {database} ({reason}). Прежняя база сохранена в {safety}.</translation>
    </message>
    <message>
        <source>Say what the client prefers.</source>
        <translation>Укажите, что предпочитает клиент.</translation>
    </message>
    <message>
        <source>Sign in to take payments.</source>
        <translation>Чтобы принимать оплату, войдите в систему.</translation>
    </message>
    <message>
        <source>That appointment no longer exists.</source>
        <translation>Этой записи больше нет.</translation>
    </message>
    <message>
        <source>That birthday is more than 120 years ago.</source>
        <translation>Эта дата рождения — больше 120 лет назад.</translation>
    </message>
    <message>
        <source>That change conflicts with something already saved (perhaps at another terminal). Nothing was saved: reload and try again. (reference {reference})</source>
        <translation>Это изменение противоречит уже сохранённым данным (возможно, их изменили на другом рабочем месте). Ничего не сохранено: обновите данные и повторите. (номер {reference})</translation>
    </message>
    <message>
        <source>That client no longer exists.</source>
        <translation>Этого клиента больше нет.</translation>
    </message>
    <message>
        <source>That is not a date (use YYYY-MM-DD).</source>
        <translation>Это не дата (формат ГГГГ-ММ-ДД).</translation>
    </message>
    <message>
        <source>That is not a phone number.</source>
        <translation>Это не номер телефона.</translation>
    </message>
    <message>
        <source>That is not an e-mail address (name@example.com).</source>
        <translation>Это не адрес эл. почты (пример: name@example.com).</translation>
    </message>
    <message>
        <source>That staff member cannot sign in.</source>
        <translation>Этот сотрудник не может войти в систему.</translation>
    </message>
    <message>
        <source>The amount received cannot be negative.</source>
        <translation>Полученная сумма не может быть отрицательной.</translation>
    </message>
    <message>
        <source>The amount received is less than the amount due.</source>
        <translation>Полученная сумма меньше суммы к оплате.</translation>
    </message>
    <message>
        <source>The backup of {database} did not finish within {seconds:.0f} s (the database stayed busy); nothing was replaced.</source>
        <translation>Резервное копирование {database} не завершилось за {seconds:.0f} с (база данных была занята); ничего не заменено.</translation>
    </message>
    <message>
        <source>The backup of {database} failed: {reason}.</source>
        <translation>Не удалось сделать резервную копию {database}: {reason}.</translation>
    </message>
    <message>
        <source>The connection to the database was lost. Nothing was saved: try again. (reference {reference})</source>
        <translation>Связь с базой данных потеряна. Ничего не сохранено: попробуйте ещё раз. (номер {reference})</translation>
    </message>
    <message>
        <source>The database cannot be used just now. Nothing was saved: try again. (reference {reference})</source>
        <translation>База данных сейчас недоступна. Ничего не сохранено: попробуйте ещё раз. (номер {reference})</translation>
    </message>
    <message>
        <source>The database driver of “{url}” is not installed. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>Драйвер базы данных для «{url}» не установлен. FrontDesk работает с файлом SQLite (укажите путь к нему) или с сервером PostgreSQL (postgresql+psycopg://user:password@host/name).</translation>
    </message>
    <message>
        <source>The database is busy with another terminal&apos;s work. Nothing was saved: try again in a moment. (reference {reference})</source>
        <translation>База данных занята запросом с другого рабочего места. Ничего не сохранено: повторите чуть позже. (номер {reference})</translation>
    </message>
    <message>
        <source>The database refused the change. Nothing was saved. (reference {reference})</source>
        <translation>База данных отклонила изменение. Ничего не сохранено. (номер {reference})</translation>
    </message>
    <message>
        <source>The database setting is not a database URL. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>В настройке базы данных указан не URL базы данных. FrontDesk работает с файлом SQLite (укажите путь к нему) или с сервером PostgreSQL (postgresql+psycopg://user:password@host/name).</translation>
    </message>
    <message>
        <source>The database {path} cannot be read and written by this user. Check its permissions.</source>
        <translation>У текущего пользователя нет прав на чтение и запись базы данных {path}. Проверьте права доступа.</translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. No backup of it was found in {folder}. Keep the file and ask for support.</source>
        <translation>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблему. FrontDesk не будет её использовать, чтобы не потерять больше данных. В папке {folder} её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблемы. FrontDesk не будет её использовать, чтобы не потерять больше данных. В папке {folder} её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблем. FrontDesk не будет её использовать, чтобы не потерять больше данных. В папке {folder} её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. No backup of it was found. Keep the file and ask for support.</source>
        <translation>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблему. FrontDesk не будет её использовать, чтобы не потерять больше данных. Её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблемы. FrontDesk не будет её использовать, чтобы не потерять больше данных. Её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблем. FrontDesk не будет её использовать, чтобы не потерять больше данных. Её резервной копии не найдено. Сохраните файл и обратитесь в поддержку.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. The latest backup is {backup}. To go back to it, run: frontdesk restore {backup} --db {path}</source>
        <translation>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблему. FrontDesk не будет её использовать, чтобы не потерять больше данных. Последняя резервная копия — {backup}. Чтобы вернуться к ней, выполните: frontdesk restore {backup} --db {path}</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблемы. FrontDesk не будет её использовать, чтобы не потерять больше данных. Последняя резервная копия — {backup}. Чтобы вернуться к ней, выполните: frontdesk restore {backup} --db {path}</numerusform>
            <numerusform>База данных {path} повреждена: проверка целостности SQLite нашла %n проблем. FrontDesk не будет её использовать, чтобы не потерять больше данных. Последняя резервная копия — {backup}. Чтобы вернуться к ней, выполните: frontdesk restore {backup} --db {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>The database {path} is on a network share. SQLite cannot lock files safely there and sales could be lost. Keep the file on this computer, or let several terminals share a PostgreSQL server (--db postgresql+psycopg://...).</source>
        <translation>База данных {path} находится в сетевой папке. Там SQLite не может надёжно блокировать файлы, и продажи могут потеряться. Храните файл на этом компьютере, а для нескольких рабочих мест используйте общий сервер PostgreSQL (--db postgresql+psycopg://...).</translation>
    </message>
    <message>
        <source>The database {where} cannot be opened: check the folder exists and is writable.</source>
        <translation>Не удаётся открыть базу данных {where}: проверьте, что папка существует и доступна для записи.</translation>
    </message>
    <message>
        <source>The database {where} cannot be used: {reason}</source>
        <translation>Базу данных {where} нельзя использовать: {reason}</translation>
    </message>
    <message>
        <source>The database {where} is locked by another program. Close other copies of FrontDesk using it, or wait a moment and try again.</source>
        <translation>База данных {where} заблокирована другой программой. Закройте другие копии FrontDesk, которые её используют, или подождите немного и попробуйте снова.</translation>
    </message>
    <message>
        <source>The disk holding the database is full. Nothing was saved: free some space. (reference {reference})</source>
        <translation>Диск с базой данных заполнен. Ничего не сохранено: освободите место. (номер {reference})</translation>
    </message>
    <message>
        <source>The first name is too long: at most {max_chars} characters, with letters such as ß counted twice.</source>
        <translation>Имя слишком длинное: не более {max_chars} символов (буквы вроде ß считаются за два).</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>Папки {folder} нет.</translation>
    </message>
    <message>
        <source>The last name is too long: at most {max_chars} characters, with letters such as ß counted twice.</source>
        <translation>Фамилия слишком длинная: не более {max_chars} символов (буквы вроде ß считаются за два).</translation>
    </message>
    <message>
        <source>The receipt printer ({profile}) cannot print {characters} of the shop&apos;s language: they print as &apos;?&apos;.</source>
        <translation>Принтер чеков ({profile}) не может напечатать {characters} из языка магазина: они печатаются как «?».</translation>
    </message>
    <message>
        <source>The receipt printer ({profile}) has no code page for {characters}: they print as pictures, which is slower.</source>
        <translation>У принтера чеков ({profile}) нет кодовой страницы для {characters}: они печатаются картинкой, а это медленнее.</translation>
    </message>
    <message>
        <source>The shop&apos;s receipts are in Chinese but printer_chinese is off, and this computer has no font with Chinese to draw it: Chinese text prints as &apos;?&apos;. Install one (e.g. fonts-wqy-microhei), or set printer_chinese = true if the printer has a Chinese font.</source>
        <translation>Чеки магазина на китайском, но printer_chinese выключен, а на этом компьютере нет шрифта с китайскими иероглифами: китайский текст печатается как «?». Установите такой шрифт (например, fonts-wqy-microhei) или задайте printer_chinese = true, если в принтере есть китайский шрифт.</translation>
    </message>
    <message>
        <source>The shop&apos;s receipts are in Chinese but printer_chinese is off, so Chinese text prints as pictures, which is slower. Set printer_chinese = true if the printer has a Chinese font.</source>
        <translation>Чеки магазина на китайском, но printer_chinese выключен, поэтому китайский текст печатается картинкой, а это медленнее. Задайте printer_chinese = true, если в принтере есть китайский шрифт.</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>PIN-коды не совпадают.</translation>
    </message>
    <message>
        <source>There is no backup file at {backup}.</source>
        <translation>Файл резервной копии {backup} не найден.</translation>
    </message>
    <message>
        <source>There is no database at {database} to back up.</source>
        <translation>По пути {database} нет базы данных для резервного копирования.</translation>
    </message>
    <message>
        <source>There is no database at {database} to restore into.</source>
        <translation>По пути {database} нет базы данных, в которую можно восстановить копию.</translation>
    </message>
    <message>
        <source>There is no database at {path}. Check the path for a typing mistake; to start a new shop there, run: frontdesk db init --db {path}</source>
        <translation>По пути {path} нет базы данных. Проверьте, нет ли опечатки в пути; чтобы завести там новый салон, выполните: frontdesk db init --db {path}</translation>
    </message>
    <message>
        <source>There is no sale with receipt number {number}.</source>
        <translation>Продажа с номером чека {number} не найдена.</translation>
    </message>
    <message>
        <source>This appointment has already been paid.</source>
        <translation>Эта запись уже оплачена.</translation>
    </message>
    <message>
        <source>This database was updated by a newer version of FrontDesk (schema {revision}). Install that version or newer to open it.</source>
        <translation>Эта база данных обновлена более новой версией FrontDesk (версия схемы {revision}). Чтобы открыть её, установите эту версию или новее.</translation>
    </message>
    <message>
        <source>This is not a loyalty card number (4-32 letters, digits or dashes).</source>
        <translation>Это не номер карты клиента (4–32 символа: буквы, цифры или дефисы).</translation>
    </message>
    <message>
        <source>This shop already has staff: sign in instead.</source>
        <translation>В салоне уже есть сотрудники — просто войдите в систему.</translation>
    </message>
    <message>
        <source>Too many backups of {database} in {folder} this second.</source>
        <translation>Слишком много резервных копий {database} в {folder} за одну секунду.</translation>
    </message>
    <message>
        <source>Use at most {digits} decimal places.</source>
        <translation>Не более {digits} знаков после запятой.</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. Tries left before the account locks: %n.</source>
        <translation>
            <numerusform>Неверный PIN-код. До блокировки осталась %n попытка.</numerusform>
            <numerusform>Неверный PIN-код. До блокировки остались %n попытки.</numerusform>
            <numerusform>Неверный PIN-код. До блокировки осталось %n попыток.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. {name} is now locked for %n min.</source>
        <translation>
            <numerusform>Неверный PIN-код. Учётная запись {name} заблокирована на %n минуту.</numerusform>
            <numerusform>Неверный PIN-код. Учётная запись {name} заблокирована на %n минуты.</numerusform>
            <numerusform>Неверный PIN-код. Учётная запись {name} заблокирована на %n минут.</numerusform>
        </translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow this: {permission}.</source>
        <translation>Для вашей роли ({role}) это недоступно: {permission}.</translation>
    </message>
    <message>
        <source>{backup} is damaged (its integrity check failed); it was not restored.</source>
        <translation>Файл {backup} повреждён (проверка целостности не пройдена); восстановление не выполнено.</translation>
    </message>
    <message>
        <source>{backup} is damaged; it was not restored.</source>
        <translation>Файл {backup} повреждён; восстановление не выполнено.</translation>
    </message>
    <message>
        <source>{backup} is not a FrontDesk backup (it is not a SQLite file).</source>
        <translation>{backup} — не резервная копия FrontDesk (это не файл SQLite).</translation>
    </message>
    <message>
        <source>{backup} is not a FrontDesk database; it was not restored.</source>
        <translation>{backup} — не база данных FrontDesk; восстановление не выполнено.</translation>
    </message>
    <message>
        <source>{backup} was made by a newer version of FrontDesk (schema {revision}); install that version to restore it.</source>
        <translation>Копия {backup} сделана более новой версией FrontDesk (версия схемы {revision}); чтобы восстановить её, установите эту версию.</translation>
    </message>
    <message>
        <source>{label} contains a broken character. Retype it.</source>
        <translation>{label} содержит повреждённый символ. Введите заново.</translation>
    </message>
    <message>
        <source>{label} contains a control character. Retype it without pasting.</source>
        <translation>{label} содержит управляющий символ. Введите текст вручную, не вставляя.</translation>
    </message>
    <message>
        <source>{label} contains an invisible character (zero-width or text-direction). Retype it without pasting.</source>
        <translation>{label} содержит невидимый символ (нулевой ширины или смены направления текста). Введите текст вручную, не вставляя.</translation>
    </message>
    <message>
        <source>{label} is at most {max_chars} characters.</source>
        <translation>{label}: не более {max_chars} символов.</translation>
    </message>
    <message numerus="yes">
        <source>{name} is locked after too many wrong PINs. Try again in %n min or ask a manager.</source>
        <translation>
            <numerusform>Учётная запись {name} заблокирована: слишком много неверных PIN-кодов. Повторите через %n минуту или обратитесь к управляющему.</numerusform>
            <numerusform>Учётная запись {name} заблокирована: слишком много неверных PIN-кодов. Повторите через %n минуты или обратитесь к управляющему.</numerusform>
            <numerusform>Учётная запись {name} заблокирована: слишком много неверных PIN-кодов. Повторите через %n минут или обратитесь к управляющему.</numerusform>
        </translation>
    </message>
    <message>
        <source>{path} already exists; choose another name for the backup.</source>
        <translation>{path} уже существует; выберите другое имя для резервной копии.</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file.</source>
        <translation>{path} — это папка, а не файл базы данных.</translation>
    </message>
    <message>
        <source>{path} is a folder: give the backup a file name.</source>
        <translation>{path} — это папка; укажите имя файла для резервной копии.</translation>
    </message>
    <message>
        <source>{path} is not a FrontDesk database (it is not a SQLite file).</source>
        <translation>{path} — не база данных FrontDesk (это не файл SQLite).</translation>
    </message>
    <message>
        <source>{received} received for {due} due looks like a typing mistake: enter the amount handed over.</source>
        <translation>Получено {received} при сумме к оплате {due} — похоже на опечатку: введите сумму, которую дал клиент.</translation>
    </message>
    <message>
        <source>{where} is not a FrontDesk database, or it is damaged.</source>
        <translation>{where} — не база данных FrontDesk, либо она повреждена.</translation>
    </message>
    <message>
        <source>“{name}” is not a time zone name.</source>
        <translation>«{name}» — не название часового пояса.</translation>
    </message>
    <message>
        <source>“{text}” is ambiguous: this shop writes amounts like {example}.</source>
        <translation>«{text}» можно понять по-разному: в салоне суммы пишутся так: {example}.</translation>
    </message>
    <message>
        <source>“{text}” is not a rate in per cent.</source>
        <translation>«{text}» — это не ставка в процентах.</translation>
    </message>
    <message>
        <source>“{text}” is not an amount.</source>
        <translation>«{text}» — не сумма.</translation>
    </message>
    <message>
        <source>“{text}” is too large for an amount.</source>
        <translation>«{text}» — слишком большая сумма.</translation>
    </message>
    <message>
        <source>“{url}” is not a database URL FrontDesk can use. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>«{url}» — не тот URL базы данных, с которым работает FrontDesk. FrontDesk работает с файлом SQLite (укажите путь к нему) или с сервером PostgreSQL (postgresql+psycopg://user:password@host/name).</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Database URL or SQLite file path (default: user data dir)</source>
        <translation>URL базы данных или путь к файлу SQLite (по умолчанию — папка данных пользователя)</translation>
    </message>
    <message>
        <source>Receipt printer: none, network, serial, usb or file</source>
        <translation>Чековый принтер: none, network, serial, usb или file</translation>
    </message>
    <message>
        <source>Network printer host name or IP address</source>
        <translation>Имя хоста или IP-адрес сетевого принтера</translation>
    </message>
    <message>
        <source>Network printer TCP port</source>
        <translation>TCP-порт сетевого принтера</translation>
    </message>
    <message>
        <source>Serial printer device, e.g. /dev/ttyUSB0 or COM3</source>
        <translation>Устройство принтера на последовательном порту, например /dev/ttyUSB0 или COM3</translation>
    </message>
    <message>
        <source>Serial printer baud rate</source>
        <translation>Скорость (бод) принтера на последовательном порту</translation>
    </message>
    <message>
        <source>USB printer vendor id (decimal or 0x hex in TOML)</source>
        <translation>Код производителя USB-принтера (в TOML — десятичный или шестнадцатеричный с 0x)</translation>
    </message>
    <message>
        <source>USB printer product id</source>
        <translation>Код модели USB-принтера</translation>
    </message>
    <message>
        <source>File or device node to write receipts to (kind = file)</source>
        <translation>Файл или устройство, куда записываются чеки (при printer_kind = file)</translation>
    </message>
    <message>
        <source>Characters per receipt line: 48 for 80 mm, 32 for 58 mm</source>
        <translation>Символов в строке чека: 48 для ленты 80 мм, 32 для 58 мм</translation>
    </message>
    <message>
        <source>python-escpos printer profile (code pages, cutter)</source>
        <translation>Профиль принтера python-escpos (кодовые страницы, отрезчик)</translation>
    </message>
    <message>
        <source>Printer has a Chinese font (send GB18030 with FS &amp;)</source>
        <translation>В принтере есть китайский шрифт (отправлять GB18030 с FS &amp;)</translation>
    </message>
    <message>
        <source>Printer answers status queries (DLE EOT); false for one-way cables</source>
        <translation>Принтер отвечает на запросы состояния (DLE EOT); false для односторонних кабелей</translation>
    </message>
    <message>
        <source>This terminal&apos;s name: its printer prints only its own receipts (default: host name)</source>
        <translation>Имя этого рабочего места: его принтер печатает только его чеки (по умолчанию — имя компьютера)</translation>
    </message>
    <message>
        <source>Serial port of the loyalty card scanner; empty for none</source>
        <translation>Последовательный порт сканера карт клиентов; пусто, если сканера нет</translation>
    </message>
    <message>
        <source>Scanner baud rate</source>
        <translation>Скорость (бод) сканера</translation>
    </message>
    <message>
        <source>Folder for the printer lock file (default: data dir)</source>
        <translation>Папка для файла блокировки принтера (по умолчанию — папка данных)</translation>
    </message>
    <message>
        <source>Language of the window and messages: en, zh_CN or ru; empty for the shop&apos;s locale</source>
        <translation>Язык окна и сообщений: en, zh_CN или ru; пусто — язык салона</translation>
    </message>
    <message>
        <source>Log level: DEBUG, INFO, WARNING or ERROR</source>
        <translation>Уровень журнала: DEBUG, INFO, WARNING или ERROR</translation>
    </message>
    <message>
        <source>Folder for database backups (default: &apos;backups&apos; beside the database file)</source>
        <translation>Папка для резервных копий базы (по умолчанию — «backups» рядом с файлом базы)</translation>
    </message>
    <message>
        <source>How many automatic backups (at quit and day close) to keep; older ones are deleted</source>
        <translation>Сколько автоматических резервных копий (при выходе и закрытии дня) хранить; более старые удаляются</translation>
    </message>
</context>
</TS>
