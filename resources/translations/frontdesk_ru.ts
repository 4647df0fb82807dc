<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>AbsenceList</name>
    <message>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <source>To</source>
        <translation>По</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>Примечание (необязательно)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Record these days away (Enter in the note)</source>
        <translation>Записать отсутствие (Enter в примечании)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove the selected days away ({key})</source>
        <translation>Удалить выбранное отсутствие ({key})</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>Выходной</translation>
    </message>
    <message>
        <source>Holiday</source>
        <translation>Отпуск</translation>
    </message>
    <message>
        <source>Sick</source>
        <translation>Больничный</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Другое</translation>
    </message>
    <message>
        <source>recording days away</source>
        <translation>запись отсутствия</translation>
    </message>
    <message>
        <source>removing days away</source>
        <translation>удаление отсутствия</translation>
    </message>
</context>
<context>
    <name>AlertBand</name>
    <message>
        <source>Acknowledge (Ctrl+K)</source>
        <translation>Ознакомлен(а) (Ctrl+K)</translation>
    </message>
    <message>
        <source>I have read the allergies and contraindications for this visit (Ctrl+K)</source>
        <translation>Я прочитал(а) аллергии и противопоказания на этот визит (Ctrl+K)</translation>
    </message>
    <message>
        <source>⚠ ALLERGIES AND CONTRAINDICATIONS</source>
        <translation>⚠ АЛЛЕРГИИ И ПРОТИВОПОКАЗАНИЯ</translation>
    </message>
    <message>
        <source>⚠ ALLERGIES</source>
        <translation>⚠ АЛЛЕРГИИ</translation>
    </message>
    <message>
        <source>⚠ CONTRAINDICATIONS</source>
        <translation>⚠ ПРОТИВОПОКАЗАНИЯ</translation>
    </message>
    <message>
        <source>Acknowledged at {time} by {name}.</source>
        <translation>Ознакомлен(а): {name}, {time}.</translation>
    </message>
    <message>
        <source>{substance} — {severity}</source>
        <translation>{substance} — {severity}</translation>
    </message>
    <message>
        <source>{kind}: {entry}</source>
        <translation>{kind}: {entry}</translation>
    </message>
    <message>
        <source>{entry}: {notes}</source>
        <translation>{entry}: {notes}</translation>
    </message>
</context>
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
        <source>Loyalty</source>
        <translation>Программа лояльности</translation>
    </message>
    <message>
        <source>Printer and scanner</source>
        <translation>Принтер и сканер</translation>
    </message>
    <message>
        <source>Health data key</source>
        <translation>Ключ медицинских данных</translation>
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
    <name>BoardTileWidget</name>
    <message>
        <source>{name} · place {place}</source>
        <extracomment>What the board shows: visits and their statuses, the rooms and equipment, client and service names, and the shop&apos;s zone. The minutes on the tiles run on: read the board again this often. Background and border per state; the state is always written in words too.</extracomment>
        <translation>{name} · место {place}</translation>
    </message>
    <message>
        <source>{name} · unit {place}</source>
        <translation>{name} · № {place}</translation>
    </message>
    <message>
        <source>Open the appointment (Enter or double-click)</source>
        <translation>Открыть запись (Enter или двойной щелчок)</translation>
    </message>
    <message>
        <source>Client waiting</source>
        <translation>Клиент ждёт</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Свободно</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>Забронировано</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>Идёт процедура</translation>
    </message>
    <message>
        <source>Cleaning</source>
        <translation>Уборка</translation>
    </message>
    <message>
        <source>with {therapist}</source>
        <translation>мастер: {therapist}</translation>
    </message>
    <message>
        <source>Nothing more today</source>
        <translation>Сегодня больше нет записей</translation>
    </message>
    <message>
        <source>Next at {time}</source>
        <translation>Следующая запись в {time}</translation>
    </message>
    <message numerus="yes">
        <source>%n min over time</source>
        <translation>
            <numerusform>Превышено на %n мин</numerusform>
            <numerusform>Превышено на %n мин</numerusform>
            <numerusform>Превышено на %n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>Осталось %n мин</numerusform>
            <numerusform>Осталось %n мин</numerusform>
            <numerusform>Осталось %n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ready in %n min</source>
        <translation>
            <numerusform>Будет готово через %n мин</numerusform>
            <numerusform>Будет готово через %n мин</numerusform>
            <numerusform>Будет готово через %n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Due at {time}, %n min late</source>
        <translation>
            <numerusform>Начало в {time}, опоздание %n мин</numerusform>
            <numerusform>Начало в {time}, опоздание %n мин</numerusform>
            <numerusform>Начало в {time}, опоздание %n мин</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Due at {time}, in %n min</source>
        <translation>
            <numerusform>Начало в {time}, через %n мин</numerusform>
            <numerusform>Начало в {time}, через %n мин</numerusform>
            <numerusform>Начало в {time}, через %n мин</numerusform>
        </translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>Отметить приход</translation>
    </message>
    <message>
        <source>The client has arrived ({keys})</source>
        <translation>Клиент пришёл ({keys})</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <source>The service has started ({keys})</source>
        <translation>Процедура началась ({keys})</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <source>The service is over ({keys})</source>
        <translation>Процедура закончилась ({keys})</translation>
    </message>
</context>
<context>
    <name>BookingDialog</name>
    <message>
        <source>New appointment</source>
        <extracomment>The form settles this long before the preview is asked for. A note is a line or two for the therapist. Fields of a refusal shown where the dialog has them; any other is about the services. The reason given to go past the safety gate (issue 9), until the form changes.</extracomment>
        <translation>Новая запись</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>Записать</translation>
    </message>
    <message>
        <source>loading services and therapists</source>
        <translation>загрузка услуг и мастеров</translation>
    </message>
    <message>
        <source>No bookable services are set up yet.</source>
        <translation>Пока нет услуг, доступных для записи.</translation>
    </message>
    <message>
        <source>No therapists are set up yet.</source>
        <translation>Мастера ещё не добавлены.</translation>
    </message>
    <message>
        <source>booking the appointment</source>
        <translation>запись клиента</translation>
    </message>
    <message>
        <source>Arrow keys step by {minutes} minutes</source>
        <translation>Стрелки меняют время с шагом {minutes} мин</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Book anyway…</source>
        <extracomment>The safety gate could not read a client&apos;s allergies here (no health data key).</extracomment>
        <translation>Всё равно записать…</translation>
    </message>
    <message>
        <source>Book past this rule, giving a reason</source>
        <translation>Записать в обход правила, указав причину</translation>
    </message>
    <message>
        <source>Book every service for every client (Ctrl+Enter)</source>
        <translation>Записать всех клиентов на все услуги (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>loading the client</source>
        <translation>загрузке клиента</translation>
    </message>
    <message>
        <source>This time has already passed: book it only for a client who came in.</source>
        <translation>Это время уже прошло: так записывают только клиента, который уже пришёл.</translation>
    </message>
    <message>
        <source>Choose a client and a service to see the plan.</source>
        <translation>Выберите клиента и услугу, чтобы увидеть расписание.</translation>
    </message>
    <message>
        <source>planning the booking</source>
        <translation>расчёте записи</translation>
    </message>
    <message>
        <source>Total {price} · ends at {time}</source>
        <translation>Итого {price} · окончание в {time}</translation>
    </message>
    <message>
        <source>no therapist free</source>
        <translation>нет свободного мастера</translation>
    </message>
    <message>
        <source>Choose a client, or add a walk-in.</source>
        <translation>Выберите клиента или добавьте клиента без записи.</translation>
    </message>
    <message>
        <source>Choose at least one service.</source>
        <translation>Выберите хотя бы одну услугу.</translation>
    </message>
    <message>
        <source>A service or therapist asked for is archived or unknown: choose another.</source>
        <translation>Выбранная услуга или мастер в архиве или не найдены: выберите другие.</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>For the therapist: pressure, a gift, a request…</source>
        <translation>Для мастера: сила нажатия, подарок, пожелания…</translation>
    </message>
</context>
<context>
    <name>BriefCard</name>
    <message>
        <source>{times}  {client} · {service}</source>
        <translation>{times}  {client} · {service}</translation>
    </message>
    <message>
        <source>⚠ {kind}: {what} — {severity}</source>
        <translation>⚠ {kind}: {what} — {severity}</translation>
    </message>
    <message>
        <source>⚠ Health data locked: this client&apos;s allergies cannot be shown here.</source>
        <translation>⚠ Медданные заблокированы: аллергии клиента на этом компьютере не видны.</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>Preferences: {list}</source>
        <translation>Предпочтения: {list}</translation>
    </message>
    <message>
        <source>{topic}: {value}</source>
        <translation>{topic}: {value}</translation>
    </message>
    <message>
        <source>No preferences recorded.</source>
        <translation>Предпочтения не записаны.</translation>
    </message>
    <message>
        <source>Note {when} ({author}): {text}</source>
        <translation>Заметка {when} ({author}): {text}</translation>
    </message>
    <message>
        <source>Last services: {list}</source>
        <translation>Последние услуги: {list}</translation>
    </message>
    <message>
        <source>{day} {service}</source>
        <translation>{day} {service}</translation>
    </message>
    <message>
        <source>First visit.</source>
        <translation>Первый визит.</translation>
    </message>
    <message>
        <source>Note on this visit (saved)</source>
        <translation>Заметка к этому визиту (сохранена)</translation>
    </message>
    <message>
        <source>Note on this visit</source>
        <translation>Заметка к этому визиту</translation>
    </message>
    <message>
        <source>What was done, what to remember next time</source>
        <translation>Что сделано и что учесть в следующий раз</translation>
    </message>
    <message>
        <source>Save note (Ctrl+Enter)</source>
        <translation>Сохранить заметку (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Save the note (Ctrl+Enter)</source>
        <translation>Сохранить заметку (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Notes cannot be saved here: the health data key is missing.</source>
        <translation>Заметку здесь не сохранить: на этом компьютере нет ключа медданных.</translation>
    </message>
</context>
<context>
    <name>CalendarArea</name>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation>Предыдущий день (Alt+Left)</translation>
    </message>
    <message>
        <source>Today</source>
        <extracomment>What the calendar shows: bookings, paid marks, client names and allergy marks, therapists and their hours, rooms, service names; and the shop&apos;s zone and language. The New appointment dialog was opened (`booking_dialog`), by any way in. The day on screen (None until the first read arrives; the week&apos;s first day in the week view). The week on screen (the week view). Whose week: (&quot;staff&quot; or &quot;room&quot;, id); None: the first therapist. An appointment to select once its day arrives (opened from the room board).</extracomment>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>Back to today (Alt+Home)</source>
        <translation>Вернуться на сегодня (Alt+Home)</translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation>Следующий день (Alt+Right)</translation>
    </message>
    <message>
        <source>New appointment…</source>
        <translation>Новая запись…</translation>
    </message>
    <message>
        <source>Book a client with a therapist (Ctrl+B)</source>
        <translation>Записать клиента к мастеру (Ctrl+B)</translation>
    </message>
    <message>
        <source>Open client</source>
        <translation>Карта клиента</translation>
    </message>
    <message>
        <source>Open the selected appointment&apos;s client card (Enter)</source>
        <translation>Открыть карточку клиента выбранной записи (Enter)</translation>
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
    <message>
        <source>Day</source>
        <translation>День</translation>
    </message>
    <message>
        <source>One day (Alt+D)</source>
        <translation>Один день (Alt+D)</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Неделя</translation>
    </message>
    <message>
        <source>A week of one therapist or room (Alt+W)</source>
        <translation>Неделя одного мастера или кабинета (Alt+W)</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Месяц</translation>
    </message>
    <message>
        <source>The month&apos;s load; pick a day (Alt+M)</source>
        <translation>Загрузка за месяц; выберите день (Alt+M)</translation>
    </message>
    <message>
        <source>Room board</source>
        <translation>Кабинеты сейчас</translation>
    </message>
    <message>
        <source>Rooms, beds and places now (Alt+R)</source>
        <translation>Кабинеты, кушетки и места сейчас (Alt+R)</translation>
    </message>
    <message>
        <source>Per therapist</source>
        <translation>По мастерам</translation>
    </message>
    <message>
        <source>Per room</source>
        <translation>По кабинетам</translation>
    </message>
    <message>
        <source>A column per therapist or per room (Alt+P)</source>
        <translation>Столбец на мастера или на кабинет (Alt+P)</translation>
    </message>
    <message>
        <source>Whose week</source>
        <translation>Чья неделя</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
            <numerusform>%n мин</numerusform>
        </translation>
    </message>
    <message>
        <source>Minutes per row</source>
        <translation>Минут в строке</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-, Ctrl+wheel)</source>
        <translation>Уменьшить (Ctrl+-, Ctrl+колесо)</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+=, Ctrl+wheel)</source>
        <translation>Увеличить (Ctrl+=, Ctrl+колесо)</translation>
    </message>
    <message>
        <source>Show cancelled</source>
        <translation>Показать отменённые</translation>
    </message>
    <message>
        <source>Show cancelled appointments too, faded (Alt+C)</source>
        <translation>Показывать и отменённые записи, бледным цветом (Alt+C)</translation>
    </message>
    <message>
        <source>Undo move</source>
        <translation>Отменить перенос</translation>
    </message>
    <message>
        <source>Put the last moved appointment back (Ctrl+Z)</source>
        <translation>Вернуть последнюю перенесённую запись на место (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Find free slot…</source>
        <translation>Найти свободное время…</translation>
    </message>
    <message>
        <source>The next free times for a service (Ctrl+Shift+F)</source>
        <translation>Ближайшее свободное время для услуги (Ctrl+Shift+F)</translation>
    </message>
    <message>
        <source>Waitlist</source>
        <translation>Лист ожидания</translation>
    </message>
    <message>
        <source>Show who is waiting for a slot (Alt+L)</source>
        <translation>Показать, кто ждёт свободного времени (Alt+L)</translation>
    </message>
    <message>
        <source>◀ Previous week</source>
        <translation>◀ Предыдущая неделя</translation>
    </message>
    <message>
        <source>Next week ▶</source>
        <translation>Следующая неделя ▶</translation>
    </message>
    <message>
        <source>◀ Previous day</source>
        <translation>◀ Предыдущий день</translation>
    </message>
    <message>
        <source>Next day ▶</source>
        <translation>Следующий день ▶</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыто</translation>
    </message>
    <message>
        <source>No rooms are set up yet.</source>
        <translation>Кабинеты ещё не добавлены.</translation>
    </message>
    <message numerus="yes">
        <source>{name}: week of {date} · %n appointment(s)</source>
        <translation>
            <numerusform>{name}: неделя с {date} · %n запись</numerusform>
            <numerusform>{name}: неделя с {date} · %n записи</numerusform>
            <numerusform>{name}: неделя с {date} · %n записей</numerusform>
        </translation>
    </message>
    <message>
        <source>Previous week (Alt+Left)</source>
        <translation>Предыдущая неделя (Alt+Left)</translation>
    </message>
    <message>
        <source>Next week (Alt+Right)</source>
        <translation>Следующая неделя (Alt+Right)</translation>
    </message>
    <message>
        <source>Repeat…</source>
        <translation>Повторять…</translation>
    </message>
    <message>
        <source>Book the same every few weeks</source>
        <translation>Записать так же через каждые несколько недель</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel appointment</source>
        <translation>Отменить запись</translation>
    </message>
    <message>
        <source>{client} · {service}
{day}, {time}</source>
        <translation>{client} · {service}
{day}, {time}</translation>
    </message>
    <message>
        <source>&amp;Reason (kept with the appointment):</source>
        <translation>&amp;Причина (сохраняется в записи):</translation>
    </message>
    <message>
        <source>For example: the client is ill</source>
        <translation>Например: клиент заболел</translation>
    </message>
    <message>
        <source>Keep appointment</source>
        <translation>Оставить запись</translation>
    </message>
    <message>
        <source>Close without cancelling (Esc)</source>
        <translation>Закрыть без отмены (Esc)</translation>
    </message>
    <message>
        <source>Cancel it with this reason (Enter)</source>
        <translation>Отменить с этой причиной (Enter)</translation>
    </message>
    <message>
        <source>checking the cancellation window</source>
        <translation>проверка срока отмены</translation>
    </message>
    <message numerus="yes">
        <source>Late cancellation: within %n hour(s) of the start. It will count on the client&apos;s card.</source>
        <translation>
            <numerusform>Поздняя отмена: менее чем за %n час до начала. Она будет учтена в карточке клиента.</numerusform>
            <numerusform>Поздняя отмена: менее чем за %n часа до начала. Она будет учтена в карточке клиента.</numerusform>
            <numerusform>Поздняя отмена: менее чем за %n часов до начала. Она будет учтена в карточке клиента.</numerusform>
        </translation>
    </message>
    <message>
        <source>In good time: not a late cancellation.</source>
        <translation>Заблаговременно: это не поздняя отмена.</translation>
    </message>
    <message>
        <source>cancelling the appointment</source>
        <translation>отмена записи</translation>
    </message>
</context>
<context>
    <name>CardHeader</name>
    <message>
        <source>Visits</source>
        <translation>Визиты</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Последний визит</translation>
    </message>
    <message>
        <source>Spent in total</source>
        <translation>Всего потрачено</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Client since</source>
        <translation>Клиент с</translation>
    </message>
    <message>
        <source>Add a tag (Enter)</source>
        <translation>Добавить метку (Enter)</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Меток нет</translation>
    </message>
    <message numerus="yes">
        <source>%Ln point(s)</source>
        <translation>
            <numerusform>%Ln балл</numerusform>
            <numerusform>%Ln балла</numerusform>
            <numerusform>%Ln баллов</numerusform>
        </translation>
    </message>
    <message>
        <source>{tier} · {points}</source>
        <translation>{tier} · {points}</translation>
    </message>
    <message>
        <source>No visits yet</source>
        <translation>Визитов ещё не было</translation>
    </message>
    <message numerus="yes">
        <source>%n no-show(s)</source>
        <translation>
            <numerusform>%n неявка</numerusform>
            <numerusform>%n неявки</numerusform>
            <numerusform>%n неявок</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n late cancellation(s)</source>
        <translation>
            <numerusform>%n поздняя отмена</numerusform>
            <numerusform>%n поздние отмены</numerusform>
            <numerusform>%n поздних отмен</numerusform>
        </translation>
    </message>
    <message>
        <source>{no_shows} · {late}</source>
        <translation>{no_shows} · {late}</translation>
    </message>
    <message>
        <source>{tag} ×</source>
        <translation>{tag} ×</translation>
    </message>
    <message>
        <source>Remove the tag {tag}</source>
        <translation>Убрать метку {tag}</translation>
    </message>
</context>
<context>
    <name>CardWords</name>
    <message>
        <source>Light</source>
        <translation>Лёгкая</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Средняя</translation>
    </message>
    <message>
        <source>Firm</source>
        <translation>Сильная</translation>
    </message>
    <message>
        <source>Deep</source>
        <translation>Глубокая</translation>
    </message>
    <message>
        <source>Cooler than usual</source>
        <translation>Прохладнее обычного</translation>
    </message>
    <message>
        <source>As usual</source>
        <translation>Как обычно</translation>
    </message>
    <message>
        <source>Warmer than usual</source>
        <translation>Теплее обычного</translation>
    </message>
    <message>
        <source>Text message</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Лично</translation>
    </message>
    <message>
        <source>Messenger</source>
        <translation>Мессенджер</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>Аллергия</translation>
    </message>
    <message>
        <source>Contraindication</source>
        <translation>Противопоказание</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>лёгкая степень</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>средняя степень</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>тяжёлая степень</translation>
    </message>
</context>
<context>
    <name>CheckoutArea</name>
    <message>
        <source>Pick an appointment to check out.</source>
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
        <source>Reason to go ahead (checked with the client)</source>
        <translation>Причина продолжить (уточнено у клиента)</translation>
    </message>
    <message>
        <source>Complete sale (F9)</source>
        <translation>Провести оплату (F9)</translation>
    </message>
    <message>
        <source>Sell products ({key})</source>
        <extracomment>Keys of the products part of checkout (F9 completes the sale). What the waiting list and the quote show: visits, clients&apos; names, services, therapists. The appointment asked for (picked, or sent from the calendar) before its quote came. Selling products without an appointment (the &quot;Sell products&quot; sale is open). Counts quotes asked for: an answer to an older one is not shown.</extracomment>
        <translation>Продать товары ({key})</translation>
    </message>
    <message>
        <source>Sell products without an appointment, to a walk-in or a client ({key})</source>
        <translation>Продажа товаров без записи — случайному посетителю или клиенту ({key})</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Товары</translation>
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
        <source>Sell products</source>
        <translation>Продажа товаров</translation>
    </message>
    <message>
        <source>No products yet: add one below (F7), or scan it.</source>
        <translation>Товаров пока нет: добавьте ниже (F7) или отсканируйте.</translation>
    </message>
    <message>
        <source>loading the appointment</source>
        <translation>загрузке записи</translation>
    </message>
    <message>
        <source>pricing the products</source>
        <translation>расчёте стоимости товаров</translation>
    </message>
    <message>
        <source>Sell products to {client}</source>
        <translation>Продажа товаров: {client}</translation>
    </message>
    <message>
        <source>{service} — {therapist} · {minutes} min    {amount}</source>
        <translation>{service} — {therapist} · {minutes} мин    {amount}</translation>
    </message>
    <message>
        <source>⚠ {item} is tagged “{tag}”: it matches this client&apos;s {kind}.</source>
        <translation>⚠ У «{item}» есть метка «{tag}»: она совпадает с записью клиента ({kind}).</translation>
    </message>
    <message>
        <source>Check with the client; to go ahead, give a reason.</source>
        <translation>Уточните у клиента; чтобы продолжить, укажите причину.</translation>
    </message>
    <message>
        <source>A reason to go ahead was given when booking.</source>
        <translation>Причина продолжить указана при записи.</translation>
    </message>
    <message>
        <source>Recorded once for the whole sale (not the client&apos;s health details)</source>
        <translation>Записывается один раз на всю продажу (без медицинских данных клиента)</translation>
    </message>
    <message>
        <source>Total {total}  (incl. tax {tax})</source>
        <translation>Итого {total}  (в т.ч. НДС {tax})</translation>
    </message>
    <message>
        <source>Rounding {rounding}  To pay {due}</source>
        <translation>Округление {rounding}  К оплате {due}</translation>
    </message>
    <message>
        <source>Not enough yet</source>
        <translation>Пока недостаточно</translation>
    </message>
    <message>
        <source>This sale matches the client&apos;s allergy or contraindication: give a reason to go ahead.</source>
        <translation>Эта продажа затрагивает аллергию или противопоказание клиента: укажите причину, чтобы продолжить.</translation>
    </message>
    <message>
        <source>taking the payment</source>
        <translation>приёме оплаты</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>Принимаем оплату…</translation>
    </message>
</context>
<context>
    <name>ClientCardView</name>
    <message>
        <source>&amp;Contact</source>
        <translation>&amp;Контакты</translation>
    </message>
    <message>
        <source>&amp;Preferences</source>
        <translation>&amp;Предпочтения</translation>
    </message>
    <message>
        <source>H&amp;ealth</source>
        <translation>&amp;Здоровье</translation>
    </message>
    <message>
        <source>Hi&amp;story</source>
        <translation>&amp;История</translation>
    </message>
    <message>
        <source>&amp;Upcoming</source>
        <translation>&amp;Предстоящие</translation>
    </message>
    <message>
        <source>&amp;Notes</source>
        <translation>За&amp;метки</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Сохранить (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save contact, consent and preferences (Ctrl+S)</source>
        <translation>Сохранить контакты, согласия и предпочтения (Ctrl+S)</translation>
    </message>
    <message>
        <source>⚠ HEALTH DATA LOCKED</source>
        <translation>⚠ ДАННЫЕ О ЗДОРОВЬЕ ЗАБЛОКИРОВАНЫ</translation>
    </message>
    <message>
        <source>This client&apos;s allergies cannot be shown on this computer: ask the owner to restore the health data key (Back office, Health data key).</source>
        <translation>Аллергии этого клиента на этом компьютере не видны: нужно восстановить ключ медицинских данных (Управление → Ключ медицинских данных). Это может сделать владелец.</translation>
    </message>
    <message>
        <source>Health information is not shown to your role.</source>
        <translation>Сведения о здоровье для вашей роли скрыты.</translation>
    </message>
    <message>
        <source>No allergies recorded</source>
        <translation>Аллергии не записаны</translation>
    </message>
    <message>
        <source>Withdraw health consent</source>
        <translation>Отозвать согласие на хранение данных о здоровье</translation>
    </message>
    <message>
        <source>Without consent, every allergy, contraindication, patch test and treatment note of this client is deleted now. Withdraw consent?</source>
        <translation>Без согласия все аллергии, противопоказания, пробы и заметки о процедурах этого клиента будут сразу удалены. Отозвать согласие?</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
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
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Birthday (YYYY-MM-DD)</source>
        <translation>День рождения (ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Бонусная карта</translation>
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
    <name>ClientPicker</name>
    <message>
        <source>Type a name, phone or card number</source>
        <translation>Имя, телефон или номер карты</translation>
    </message>
    <message>
        <source>Type to search, Enter takes the highlighted client; a scanned card too</source>
        <translation>Начните вводить для поиска; Enter выбирает выделенного клиента, скан карты тоже</translation>
    </message>
    <message>
        <source>Who is booked; Delete takes the highlighted one off</source>
        <translation>Кого записываем; Delete убирает выделенного</translation>
    </message>
    <message>
        <source>New walk-in…</source>
        <translation>Новый клиент без записи…</translation>
    </message>
    <message>
        <source>A new client: first name and phone (Ctrl+N)</source>
        <translation>Новый клиент: имя и телефон (Ctrl+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Save the walk-in as a client (Enter)</source>
        <translation>Сохранить клиента в базе (Enter)</translation>
    </message>
    <message>
        <source>searching clients</source>
        <translation>поиске клиентов</translation>
    </message>
    <message>
        <source>Has an allergy on file</source>
        <translation>Есть запись об аллергии</translation>
    </message>
    <message>
        <source>saving the walk-in</source>
        <translation>сохранении клиента</translation>
    </message>
    <message>
        <source>No client found: add a walk-in (Ctrl+N).</source>
        <translation>Клиент не найден: добавьте нового (Ctrl+N).</translation>
    </message>
    <message>
        <source>No client found.</source>
        <translation>Клиент не найден.</translation>
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
    <name>ClientSummary</name>
    <message>
        <source>last visit {date}</source>
        <translation>последний визит {date}</translation>
    </message>
    <message>
        <source>no visits yet</source>
        <translation>визитов ещё не было</translation>
    </message>
</context>
<context>
    <name>ClientTransferDialog</name>
    <message>
        <source>Import and export clients</source>
        <translation>Импорт и экспорт клиентов</translation>
    </message>
    <message>
        <source>Columns it reads: name (or first and last name), phone, e-mail, birthday, card number, past visits, marketing consent, health data consent, allergies, preferences (topic: value) and notes (kept as the card&apos;s free-text preference). A client already here (same card, phone or e-mail) is updated, not added twice. Allergies are kept only for clients whose health data consent says yes.</source>
        <translation>Читаются столбцы: имя (или имя и фамилия отдельно), телефон, эл. почта, день рождения, номер карты, прошлые визиты, согласие на рассылку, согласие на хранение данных о здоровье, аллергии, предпочтения (тема: значение) и заметки (хранятся в карточке как предпочтение «Прочее»). Клиент, который уже есть (та же карта, телефон или почта), обновляется, а не добавляется второй раз. Аллергии сохраняются только у клиентов с согласием на хранение данных о здоровье.</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Имя и фамилия</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Имя</translation>
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
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Номер карты</translation>
    </message>
    <message>
        <source>Past visits</source>
        <translation>Прошлые визиты</translation>
    </message>
    <message>
        <source>Marketing consent</source>
        <translation>Согласие на рекламные рассылки</translation>
    </message>
    <message>
        <source>Health data consent</source>
        <translation>Согласие на хранение данных о здоровье</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Аллергии</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Предпочтения</translation>
    </message>
    <message>
        <source>Notes (kept as the card&apos;s free-text preference)</source>
        <translation>Заметки (сохраняются в поле «Прочее»)</translation>
    </message>
    <message>
        <source>Open a client list…</source>
        <translation>Открыть список клиентов…</translation>
    </message>
    <message>
        <source>Choose a CSV file of clients ({key})</source>
        <translation>Выбрать CSV-файл с клиентами ({key})</translation>
    </message>
    <message>
        <source>Export all clients…</source>
        <translation>Экспорт всех клиентов…</translation>
    </message>
    <message>
        <source>Write every client to a CSV file ({key})</source>
        <translation>Записать всех клиентов в CSV-файл ({key})</translation>
    </message>
    <message>
        <source>Add and update every client of the file, all or nothing ({key})</source>
        <translation>Добавить и обновить всех клиентов из файла — всё или ничего ({key})</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>clients.csv</source>
        <translation>клиенты.csv</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) to add</source>
        <translation>
            <numerusform>будет добавлен %n клиент</numerusform>
            <numerusform>будут добавлены %n клиента</numerusform>
            <numerusform>будут добавлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) to update</source>
        <translation>
            <numerusform>будет обновлён %n клиент</numerusform>
            <numerusform>будут обновлены %n клиента</numerusform>
            <numerusform>будут обновлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) added</source>
        <translation>
            <numerusform>добавлен %n клиент</numerusform>
            <numerusform>добавлены %n клиента</numerusform>
            <numerusform>добавлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) updated</source>
        <translation>
            <numerusform>обновлён %n клиент</numerusform>
            <numerusform>обновлены %n клиента</numerusform>
            <numerusform>обновлены %n клиентов</numerusform>
        </translation>
    </message>
    <message>
        <source>Clients written to {file}.</source>
        <translation>Клиенты записаны в {file}.</translation>
    </message>
</context>
<context>
    <name>ClientsArea</name>
    <message>
        <source>New client (Ctrl+N)</source>
        <translation>Новый клиент (Ctrl+N)</translation>
    </message>
    <message>
        <source>Name, phone, e-mail or card number  (Ctrl+F)</source>
        <extracomment>The list now answers this text (emitted once its rows are in the model).</extracomment>
        <translation>Имя, телефон, e-mail или номер карты  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search for a client, or scan their loyalty card.</source>
        <translation>Найдите клиента или отсканируйте его бонусную карту.</translation>
    </message>
    <message>
        <source>Import / export clients…</source>
        <translation>Импорт / экспорт клиентов…</translation>
    </message>
    <message>
        <source>Merge with…</source>
        <translation>Объединить с…</translation>
    </message>
    <message>
        <source>Merge another record of this client into this one</source>
        <translation>Перенести в эту карточку другую запись того же клиента</translation>
    </message>
    <message>
        <source>Loyalty points…</source>
        <translation>Бонусные баллы…</translation>
    </message>
    <message>
        <source>The client&apos;s points: balance, history and adjustments (Ctrl+Shift+L)</source>
        <translation>Баллы клиента: баланс, история и корректировки (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Type a name, phone, e-mail or card number. Down: the list; Esc: clear</source>
        <translation>Введите имя, телефон, e-mail или номер карты. ↓ — к списку; Esc — очистить</translation>
    </message>
    <message>
        <source>Arrows: move; Enter: open the card; Esc: back to the search</source>
        <translation>Стрелки — перемещение; Enter — открыть карточку; Esc — назад к поиску</translation>
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
    <message>
        <source>saving the client card</source>
        <translation>сохранение карточки клиента</translation>
    </message>
    <message>
        <source>adding a tag</source>
        <translation>добавление метки</translation>
    </message>
    <message>
        <source>removing a tag</source>
        <translation>удаление метки</translation>
    </message>
    <message>
        <source>acknowledging the alert</source>
        <translation>подтверждение предупреждения</translation>
    </message>
</context>
<context>
    <name>CommissionTable</name>
    <message>
        <source>Service category</source>
        <translation>Категория услуг</translation>
    </message>
    <message>
        <source>Commission, %</source>
        <translation>Комиссия, %</translation>
    </message>
</context>
<context>
    <name>ConsentOffer</name>
    <message>
        <source>Cl&amp;ient agrees: record consent and add</source>
        <translation>Клиент со&amp;гласен: записать согласие и добавить</translation>
    </message>
    <message>
        <source>Only if the client has just agreed that we keep their health data</source>
        <translation>Только если клиент сейчас согласился, чтобы мы хранили его данные о здоровье</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Не сейчас</translation>
    </message>
    <message>
        <source>Keep what was typed and add nothing (Esc)</source>
        <translation>Оставить введённое и ничего не добавлять (Esc)</translation>
    </message>
    <message>
        <source>{client} has not agreed that we keep health data. Ask the client first: nothing is recorded without their consent.</source>
        <translation>Клиент {client} не давал согласия на хранение данных о здоровье. Сначала спросите клиента: без его согласия ничего не записывается.</translation>
    </message>
</context>
<context>
    <name>ContactSection</name>
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
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Birthday (YYYY-MM-DD)</source>
        <translation>День рождения (ГГГГ-ММ-ДД)</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>Бонусная карта</translation>
    </message>
    <message>
        <source>Agrees to marketing messages</source>
        <translation>Согласие на рекламные рассылки</translation>
    </message>
    <message>
        <source>— how did they agree? —</source>
        <translation>— как дано согласие? —</translation>
    </message>
    <message>
        <source>Agreed by</source>
        <translation>Способ согласия</translation>
    </message>
    <message>
        <source>Agreed on</source>
        <translation>Дата согласия</translation>
    </message>
    <message>
        <source>Agrees that we keep health data</source>
        <translation>Согласие на хранение данных о здоровье</translation>
    </message>
    <message>
        <source>Only an owner, a manager or a therapist may change this consent.</source>
        <translation>Изменить это согласие может только владелец, управляющий или мастер.</translation>
    </message>
    <message>
        <source>Health consent since</source>
        <translation>Дата согласия (здоровье)</translation>
    </message>
</context>
<context>
    <name>CsvImportPanel</name>
    <message>
        <source>Detect automatically</source>
        <extracomment>Prefix of the file label, encoding, hint, summary, problem, result, mapping and errors. Emitted after an import was saved, with what it did. Emitted after an export was written, with the file. Asked for the file to open / the file to write (tests put their own in).</extracomment>
        <translation>Определить автоматически</translation>
    </message>
    <message>
        <source>The file&apos;s text encoding</source>
        <translation>Кодировка текста файла</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Кодировка:</translation>
    </message>
    <message>
        <source>Open a CSV file (UTF-8, GB18030 or Windows-1251) with a header row. Nothing is saved until you import, and an import saves every row or none.</source>
        <translation>Откройте CSV-файл (UTF-8, GB18030 или Windows-1251) со строкой заголовков. До нажатия «Импортировать» ничего не сохраняется, а импорт сохраняет либо все строки, либо ни одной.</translation>
    </message>
    <message>
        <source>Each column of the file and what it is read as; the first rows as read.</source>
        <translation>Каждый столбец файла и то, как он читается; ниже — первые строки в прочитанном виде.</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Строка</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Столбец</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Импортировать</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>Файлы CSV (*.csv *.txt);;Все файлы (*)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>reading {file}</source>
        <translation>чтении файла {file}</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>Читаем {file}…</translation>
    </message>
    <message>
        <source>Read as {encoding}.</source>
        <translation>Прочитан в кодировке {encoding}.</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n строка</numerusform>
            <numerusform>%n строки</numerusform>
            <numerusform>%n строк</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to import</source>
        <translation>импортировать нечего</translation>
    </message>
    <message>
        <source>{read_as} {rows}: {parts}.</source>
        <translation>{read_as} {rows}: {parts}.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to correct in the file; nothing is imported until they are gone.</source>
        <translation>
            <numerusform>В файле %n ошибка, её нужно исправить; пока она есть, ничего не импортируется.</numerusform>
            <numerusform>В файле %n ошибки, их нужно исправить; пока они есть, ничего не импортируется.</numerusform>
            <numerusform>В файле %n ошибок, их нужно исправить; пока они есть, ничего не импортируется.</numerusform>
        </translation>
    </message>
    <message>
        <source>Read as</source>
        <translation>Читается как</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(не импортировать)</translation>
    </message>
    <message>
        <source>What the column “{header}” is read as</source>
        <translation>Как читать столбец «{header}»</translation>
    </message>
    <message>
        <source>file</source>
        <translation>файл</translation>
    </message>
    <message>
        <source>importing {file}</source>
        <translation>импорте файла {file}</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>Импортируем {file}…</translation>
    </message>
    <message>
        <source>nothing to change</source>
        <translation>изменять нечего</translation>
    </message>
    <message>
        <source>Imported: {parts}.</source>
        <translation>Импортировано: {parts}.</translation>
    </message>
    <message>
        <source>writing {file}</source>
        <translation>записи файла {file}</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>Записываем {file}…</translation>
    </message>
</context>
<context>
    <name>DayGrid</name>
    <message>
        <source>Off</source>
        <translation>Выходной</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Printer and scanner</source>
        <extracomment>Emitted after the settings were saved and put to use. Emitted when a test print, drawer test or scan test has ended (tests wait on it). Where the scan test waits for its code (a thread of the device worker&apos;s pool).</extracomment>
        <translation>Принтер и сканер</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Чековый принтер</translation>
    </message>
    <message>
        <source>Barcode and card scanner</source>
        <translation>Сканер штрихкодов и карт</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save to the settings file and use at once ({keys})</source>
        <translation>Сохранить в файл настроек и сразу применить ({keys})</translation>
    </message>
    <message>
        <source>No receipt printer</source>
        <translation>Без чекового принтера</translation>
    </message>
    <message>
        <source>Network (Ethernet or Wi-Fi)</source>
        <translation>Сеть (Ethernet или Wi-Fi)</translation>
    </message>
    <message>
        <source>Serial port (RS-232 or USB serial)</source>
        <translation>Последовательный порт (RS-232 или USB-COM)</translation>
    </message>
    <message>
        <source>USB (direct)</source>
        <translation>USB (напрямую)</translation>
    </message>
    <message>
        <source>File or device node</source>
        <translation>Файл или устройство</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50 or printer.local</source>
        <translation>например, 192.168.1.50 или printer.local</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>TCP port</source>
        <translation>TCP-порт</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>Последовательный порт</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>Скорость (бод)</translation>
    </message>
    <message>
        <source>USB vendor id</source>
        <translation>USB Vendor ID</translation>
    </message>
    <message>
        <source>USB product id</source>
        <translation>USB Product ID</translation>
    </message>
    <message>
        <source>e.g. /dev/usb/lp0</source>
        <translation>например, /dev/usb/lp0</translation>
    </message>
    <message>
        <source>File or device</source>
        <translation>Файл или устройство</translation>
    </message>
    <message>
        <source>80 mm (48 characters a line)</source>
        <translation>80 мм (48 символов в строке)</translation>
    </message>
    <message>
        <source>58 mm (32 characters a line)</source>
        <translation>58 мм (32 символа в строке)</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>Ширина ленты</translation>
    </message>
    <message>
        <source>Type to search the printer models</source>
        <translation>Начните вводить модель принтера</translation>
    </message>
    <message>
        <source>The printer model as python-escpos knows it: its code pages and cutter.</source>
        <translation>Модель принтера в python-escpos: от неё зависят кодовые страницы и обрезчик.</translation>
    </message>
    <message>
        <source>Printer model</source>
        <translation>Модель принтера</translation>
    </message>
    <message>
        <source>The printer has a Chinese font (GB18030)</source>
        <translation>В принтере есть китайский шрифт (GB18030)</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>Китайский</translation>
    </message>
    <message>
        <source>The printer answers status questions (paper, cover)</source>
        <translation>Принтер сообщает своё состояние (бумага, крышка)</translation>
    </message>
    <message>
        <source>Turn this off for one-way cables: receipts are then sent without a check.</source>
        <translation>Отключите для односторонних кабелей: чеки будут отправляться без проверки.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Пробная печать</translation>
    </message>
    <message>
        <source>Print a short test page with the settings above, before saving (Alt+T)</source>
        <translation>Напечатать короткую пробную страницу с настройками выше, не сохраняя их (Alt+T)</translation>
    </message>
    <message>
        <source>Drawer test</source>
        <translation>Проверка денежного ящика</translation>
    </message>
    <message>
        <source>Open the cash drawer now through the printer above (Alt+D)</source>
        <translation>Открыть денежный ящик сейчас через принтер выше (Alt+D)</translation>
    </message>
    <message>
        <source>None: no serial scanner</source>
        <translation>Пусто: без сканера на последовательном порту</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <source>Scan test</source>
        <translation>Проверка сканера</translation>
    </message>
    <message>
        <source>Wait up to {seconds} s for one scan on the port above (Alt+S)</source>
        <translation>Ждать одно сканирование на порту выше, не дольше {seconds} с (Alt+S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Stop waiting for a scan (Esc)</source>
        <translation>Перестать ждать сканирование (Esc)</translation>
    </message>
    <message>
        <source>These settings belong to this computer. They are saved in {path}; other computers keep their own.</source>
        <translation>Эти настройки относятся только к этому компьютеру и хранятся в {path}; у других компьютеров свои.</translation>
    </message>
    <message>
        <source>A command-line option overrides this: {value} is in use.</source>
        <translation>Это значение задано параметром командной строки: сейчас используется {value}.</translation>
    </message>
    <message>
        <source>The environment variable {variable} overrides this: {value} is in use.</source>
        <translation>Это значение задано переменной окружения {variable}: сейчас используется {value}.</translation>
    </message>
    <message>
        <source>Saving still writes the file.</source>
        <translation>При сохранении оно всё равно записывается в файл.</translation>
    </message>
    <message>
        <source>saving the printer and scanner settings</source>
        <translation>сохранение настроек принтера и сканера</translation>
    </message>
    <message>
        <source>Saved. The new settings are in use now.</source>
        <translation>Сохранено. Новые настройки уже действуют.</translation>
    </message>
    <message>
        <source>Printing a test page…</source>
        <translation>Печать пробной страницы…</translation>
    </message>
    <message>
        <source>Opening the drawer…</source>
        <translation>Открываем денежный ящик…</translation>
    </message>
    <message>
        <source>The drawer kick was sent. Did the drawer open?</source>
        <translation>Команда открытия отправлена. Ящик открылся?</translation>
    </message>
    <message>
        <source>The printer took the test page. Is it on paper and readable?</source>
        <translation>Принтер принял пробную страницу. Она напечаталась и читается?</translation>
    </message>
    <message>
        <source>The test page was sent; this printer cannot confirm it. Is it on paper?</source>
        <translation>Пробная страница отправлена, но этот принтер не может подтвердить печать. Она напечаталась?</translation>
    </message>
    <message>
        <source>The printer&apos;s address is not complete.</source>
        <translation>Адрес принтера указан не полностью.</translation>
    </message>
    <message>
        <source>The printer could not be reached ({reason}).</source>
        <translation>Не удалось связаться с принтером ({reason}).</translation>
    </message>
    <message>
        <source>The printer is offline.</source>
        <translation>Принтер не в сети.</translation>
    </message>
    <message>
        <source>The printer is out of paper.</source>
        <translation>В принтере закончилась бумага.</translation>
    </message>
    <message>
        <source>The printer&apos;s cover is open.</source>
        <translation>Открыта крышка принтера.</translation>
    </message>
    <message>
        <source>The printer does not answer ({reason}).</source>
        <translation>Принтер не отвечает ({reason}).</translation>
    </message>
    <message>
        <source>The printer could not be used ({reason}).</source>
        <translation>Не удалось воспользоваться принтером ({reason}).</translation>
    </message>
    <message>
        <source>Something may have printed.</source>
        <translation>Возможно, что-то успело напечататься.</translation>
    </message>
    <message>
        <source>testing the printer</source>
        <translation>проверка принтера</translation>
    </message>
    <message numerus="yes">
        <source>Scan a code now… %n s left</source>
        <translation>
            <numerusform>Отсканируйте код… осталась %n с</numerusform>
            <numerusform>Отсканируйте код… осталось %n с</numerusform>
            <numerusform>Отсканируйте код… осталось %n с</numerusform>
        </translation>
    </message>
    <message>
        <source>The scanner works. It read: {code}</source>
        <translation>Сканер работает. Считано: {code}</translation>
    </message>
    <message>
        <source>Nothing came within {seconds} s. Check the port and the cable, and that the scanner is set to serial (not keyboard) mode.</source>
        <translation>За {seconds} с ничего не пришло. Проверьте порт и кабель и то, что сканер работает в режиме последовательного порта, а не клавиатуры.</translation>
    </message>
    <message>
        <source>Scan test stopped.</source>
        <translation>Проверка сканера остановлена.</translation>
    </message>
    <message>
        <source>Something came, but not a readable code. Check the baud rate.</source>
        <translation>Что-то пришло, но это не читаемый код. Проверьте скорость (бод).</translation>
    </message>
    <message>
        <source>permission denied; on Linux, add this user to the &apos;dialout&apos; group</source>
        <translation>нет доступа; в Linux добавьте этого пользователя в группу «dialout»</translation>
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
        <source>not a valid port name</source>
        <translation>неверное имя порта</translation>
    </message>
    <message>
        <source>there is no such port (is the scanner plugged in?)</source>
        <translation>такого порта нет (сканер подключён?)</translation>
    </message>
    <message>
        <source>the scanner was unplugged</source>
        <translation>сканер отключили</translation>
    </message>
    <message>
        <source>The port could not be opened: {reason}.</source>
        <translation>Не удалось открыть порт: {reason}.</translation>
    </message>
    <message>
        <source>testing the scanner</source>
        <translation>проверка сканера</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>Add allergy or contraindication (Ctrl+Shift+H)</source>
        <translation>Добавить аллергию или противопоказание (Ctrl+Shift+H)</translation>
    </message>
    <message>
        <source>Choose from the list or type</source>
        <translation>Выберите из списка или введите</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— выберите —</translation>
    </message>
    <message>
        <source>Mild</source>
        <translation>Лёгкая</translation>
    </message>
    <message>
        <source>Moderate</source>
        <translation>Средняя</translation>
    </message>
    <message>
        <source>Severe</source>
        <translation>Тяжёлая</translation>
    </message>
    <message>
        <source>e.g. what to use instead</source>
        <translation>например, чем заменить</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;What</source>
        <translation>&amp;Что</translation>
    </message>
    <message>
        <source>Se&amp;verity</source>
        <translation>&amp;Тяжесть</translation>
    </message>
    <message>
        <source>N&amp;otes</source>
        <translation>Примечани&amp;я</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Добавить</translation>
    </message>
    <message>
        <source>Add to the client&apos;s card (Enter)</source>
        <translation>Добавить в карточку клиента (Enter)</translation>
    </message>
</context>
<context>
    <name>EquipmentTab</name>
    <message>
        <source>Search equipment by name or kind</source>
        <translation>Поиск оборудования по названию или типу</translation>
    </message>
    <message>
        <source>New equipment</source>
        <translation>Новое оборудование</translation>
    </message>
    <message>
        <source>No equipment yet. Add what treatments share (stone kits, steamers) with New equipment (Ctrl+N).</source>
        <translation>Оборудования пока нет. Добавьте то, что используется на процедурах по очереди (наборы камней, вапоризаторы), кнопкой «Новое оборудование» (Ctrl+N).</translation>
    </message>
    <message>
        <source>Choose equipment on the left, or add some with New equipment (Ctrl+N).</source>
        <translation>Выберите оборудование слева или добавьте новое кнопкой «Новое оборудование» (Ctrl+N).</translation>
    </message>
    <message>
        <source>This equipment is archived: services no longer wait for it. Restore it to use it again.</source>
        <translation>Оборудование в архиве: услуги его больше не ждут. Восстановите его, чтобы снова им пользоваться.</translation>
    </message>
    <message numerus="yes">
        <source>%n in the shop</source>
        <translation>
            <numerusform>%n шт. в салоне</numerusform>
            <numerusform>%n шт. в салоне</numerusform>
            <numerusform>%n шт. в салоне</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>stones, steamer, bed…</source>
        <translation>камни, вапоризатор, кушетка…</translation>
    </message>
    <message>
        <source>How many the shop has: two stone kits let two stone massages run at once</source>
        <translation>Сколько есть в салоне: с двумя наборами камней можно проводить два стоун-массажа одновременно</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Which equipment a service needs is set on each service, in Services.</source>
        <translation>Какое оборудование нужно услуге, задаётся в самой услуге, в разделе «Услуги».</translation>
    </message>
    <message>
        <source>reading the kinds of equipment</source>
        <translation>чтение типов оборудования</translation>
    </message>
    <message>
        <source>No active service needs this equipment yet.</source>
        <translation>Пока ни одной действующей услуге не нужно это оборудование.</translation>
    </message>
    <message>
        <source>Save the equipment first.</source>
        <translation>Сначала сохраните оборудование.</translation>
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
    <message>
        <source>The address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>The tax number</source>
        <translation>ИНН</translation>
    </message>
    <message>
        <source>The currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>The language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>The time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>The receipt header</source>
        <translation>Шапка чека</translation>
    </message>
    <message>
        <source>The receipt footer</source>
        <translation>Подпись в конце чека</translation>
    </message>
    <message>
        <source>The logo</source>
        <translation>Логотип</translation>
    </message>
    <message>
        <source>The default tax rate</source>
        <translation>Ставка налога по умолчанию</translation>
    </message>
    <message>
        <source>The rounding step</source>
        <translation>Шаг округления</translation>
    </message>
    <message>
        <source>The rounding rule</source>
        <translation>Способ округления</translation>
    </message>
    <message>
        <source>The closed days</source>
        <translation>Нерабочие дни</translation>
    </message>
    <message>
        <source>The late-cancellation hours</source>
        <translation>Срок поздней отмены (часы)</translation>
    </message>
    <message>
        <source>Monday&apos;s hours</source>
        <translation>Часы работы в понедельник</translation>
    </message>
    <message>
        <source>Tuesday&apos;s hours</source>
        <translation>Часы работы во вторник</translation>
    </message>
    <message>
        <source>Wednesday&apos;s hours</source>
        <translation>Часы работы в среду</translation>
    </message>
    <message>
        <source>Thursday&apos;s hours</source>
        <translation>Часы работы в четверг</translation>
    </message>
    <message>
        <source>Friday&apos;s hours</source>
        <translation>Часы работы в пятницу</translation>
    </message>
    <message>
        <source>Saturday&apos;s hours</source>
        <translation>Часы работы в субботу</translation>
    </message>
    <message>
        <source>Sunday&apos;s hours</source>
        <translation>Часы работы в воскресенье</translation>
    </message>
    <message>
        <source>The note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>The category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <source>The category&apos;s name</source>
        <translation>Название категории</translation>
    </message>
    <message>
        <source>The duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <source>The buffer</source>
        <translation>Перерыв после услуги</translation>
    </message>
    <message>
        <source>The price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>The tax rate</source>
        <translation>Ставка налога</translation>
    </message>
    <message>
        <source>The day the new price starts</source>
        <translation>Дата начала новой цены</translation>
    </message>
    <message>
        <source>The room kind</source>
        <translation>Тип кабинета</translation>
    </message>
    <message>
        <source>The places it uses</source>
        <translation>Число занимаемых мест</translation>
    </message>
    <message>
        <source>The equipment</source>
        <translation>Оборудование</translation>
    </message>
    <message>
        <source>Each ingredient</source>
        <translation>Каждый ингредиент</translation>
    </message>
    <message>
        <source>Each contraindication</source>
        <translation>Каждое противопоказание</translation>
    </message>
    <message>
        <source>The display order</source>
        <translation>Порядок отображения</translation>
    </message>
    <message>
        <source>The kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>The SKU</source>
        <translation>Артикул</translation>
    </message>
    <message>
        <source>The barcode</source>
        <translation>Штрихкод</translation>
    </message>
    <message>
        <source>An ingredient</source>
        <translation>Состав</translation>
    </message>
    <message>
        <source>A contraindication</source>
        <translation>Противопоказание</translation>
    </message>
    <message>
        <source>The printer connection</source>
        <translation>Подключение принтера</translation>
    </message>
    <message>
        <source>The printer&apos;s address</source>
        <translation>Адрес принтера</translation>
    </message>
    <message>
        <source>The TCP port</source>
        <translation>TCP-порт</translation>
    </message>
    <message>
        <source>The printer&apos;s serial port</source>
        <translation>Последовательный порт принтера</translation>
    </message>
    <message>
        <source>The printer&apos;s baud rate</source>
        <translation>Скорость принтера (бод)</translation>
    </message>
    <message>
        <source>The USB vendor id</source>
        <translation>USB Vendor ID</translation>
    </message>
    <message>
        <source>The USB product id</source>
        <translation>USB Product ID</translation>
    </message>
    <message>
        <source>The file or device</source>
        <translation>Файл или устройство</translation>
    </message>
    <message>
        <source>The paper width</source>
        <translation>Ширина ленты</translation>
    </message>
    <message>
        <source>The printer model</source>
        <translation>Модель принтера</translation>
    </message>
    <message>
        <source>The scanner&apos;s port</source>
        <translation>Порт сканера</translation>
    </message>
    <message>
        <source>The scanner&apos;s baud rate</source>
        <translation>Скорость сканера (бод)</translation>
    </message>
    <message>
        <source>A tag</source>
        <translation>Метка</translation>
    </message>
    <message>
        <source>The owner&apos;s name</source>
        <translation>Имя владельца</translation>
    </message>
    <message>
        <source>The room</source>
        <translation>Кабинет</translation>
    </message>
    <message>
        <source>The end time</source>
        <translation>Время окончания</translation>
    </message>
    <message>
        <source>The reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>The time window</source>
        <translation>Промежуток времени</translation>
    </message>
    <message>
        <source>The number of days</source>
        <translation>Количество дней</translation>
    </message>
    <message>
        <source>The step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>The days of the week</source>
        <translation>Дни недели</translation>
    </message>
    <message>
        <source>The number of weeks</source>
        <translation>Число недель</translation>
    </message>
    <message>
        <source>The last day</source>
        <translation>Последний день</translation>
    </message>
    <message>
        <source>The number of times</source>
        <translation>Число визитов</translation>
    </message>
    <message>
        <source>The first day</source>
        <translation>Первый день</translation>
    </message>
    <message>
        <source>The latest start</source>
        <translation>Самое позднее начало</translation>
    </message>
    <message>
        <source>The category&apos;s colour</source>
        <translation>Цвет категории</translation>
    </message>
    <message>
        <source>How the client agreed</source>
        <translation>Способ согласия</translation>
    </message>
    <message>
        <source>The pressure</source>
        <translation>Сила нажатия</translation>
    </message>
    <message>
        <source>The room temperature</source>
        <translation>Температура в кабинете</translation>
    </message>
    <message>
        <source>The music</source>
        <translation>Музыка</translation>
    </message>
    <message>
        <source>What the client likes</source>
        <translation>То, что клиенту нравится</translation>
    </message>
    <message>
        <source>What the client dislikes</source>
        <translation>То, что клиенту не нравится</translation>
    </message>
    <message>
        <source>Topics to avoid</source>
        <translation>Темы, которых избегать</translation>
    </message>
    <message>
        <source>The preferred therapist</source>
        <translation>Любимый мастер</translation>
    </message>
    <message>
        <source>The tag</source>
        <translation>Метка</translation>
    </message>
    <message>
        <source>The reason to go ahead</source>
        <translation>Причина продолжить</translation>
    </message>
    <message>
        <source>Allergy or contraindication</source>
        <translation>Аллергия или противопоказание</translation>
    </message>
    <message>
        <source>The severity</source>
        <translation>Степень тяжести</translation>
    </message>
    <message>
        <source>The patch test date</source>
        <translation>Дата пробы на чувствительность</translation>
    </message>
    <message>
        <source>The product tested</source>
        <translation>Проверенное средство</translation>
    </message>
    <message>
        <source>The result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>The health data key</source>
        <translation>Ключ медицинских данных</translation>
    </message>
</context>
<context>
    <name>FindSlotDialog</name>
    <message>
        <source>Find a free slot</source>
        <extracomment>How many slots one search lists. 23:59 in the &quot;to&quot; box means the end of the day (a time box cannot show 24:00).</extracomment>
        <translation>Поиск свободного времени</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Add the service to the sequence (Ctrl+I)</source>
        <translation>Добавить услугу в очередь (Ctrl+I)</translation>
    </message>
    <message>
        <source>Ctrl+I</source>
        <translation>Ctrl+I</translation>
    </message>
    <message>
        <source>Services in the order they are done (Delete removes one)</source>
        <translation>Услуги в порядке выполнения (Delete — убрать)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Remove the selected service (Delete)</source>
        <translation>Убрать выбранную услугу (Delete)</translation>
    </message>
    <message>
        <source>Anyone qualified</source>
        <translation>Любой мастер с допуском</translation>
    </message>
    <message>
        <source>Any room</source>
        <translation>Любой кабинет</translation>
    </message>
    <message>
        <source>None ticked: any day</source>
        <translation>Ничего не отмечено — любой день</translation>
    </message>
    <message>
        <source>The earliest start</source>
        <translation>Самое раннее начало</translation>
    </message>
    <message>
        <source>Over by then (23:59: the end of the day)</source>
        <translation>Закончить к этому времени (23:59 — до конца дня)</translation>
    </message>
    <message>
        <source> days</source>
        <translation> дн.</translation>
    </message>
    <message>
        <source>every {n} min</source>
        <translation>каждые {n} мин</translation>
    </message>
    <message>
        <source>for</source>
        <translation>на</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>Мастер</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Кабинет</translation>
    </message>
    <message>
        <source>Days of the week</source>
        <translation>Дни недели</translation>
    </message>
    <message>
        <source>Between</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Find the next free slots (Enter)</source>
        <translation>Найти ближайшее свободное время (Enter)</translation>
    </message>
    <message>
        <source>Enter or a double click books the slot</source>
        <translation>Enter или двойной щелчок — записать на это время</translation>
    </message>
    <message>
        <source>Book this slot…</source>
        <translation>Записать на это время…</translation>
    </message>
    <message>
        <source>Open the booking with this slot (Enter in the list)</source>
        <translation>Открыть запись на это время (Enter в списке)</translation>
    </message>
    <message>
        <source>loading services and therapists</source>
        <translation>загрузка услуг и мастеров</translation>
    </message>
    <message>
        <source>No bookable services are set up yet.</source>
        <translation>Пока нет услуг, на которые можно записаться.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Поиск…</translation>
    </message>
    <message>
        <source>finding free slots</source>
        <translation>поиск свободного времени</translation>
    </message>
    <message>
        <source>Searching for free slots…</source>
        <translation>Ищем свободное время…</translation>
    </message>
    <message numerus="yes">
        <source>%n free slot(s)</source>
        <translation>
            <numerusform>%n свободное окно</numerusform>
            <numerusform>%n свободных окна</numerusform>
            <numerusform>%n свободных окон</numerusform>
        </translation>
    </message>
    <message>
        <source>anyone qualified instead of one therapist</source>
        <translation>любого мастера вместо одного</translation>
    </message>
    <message>
        <source>any room</source>
        <translation>любой кабинет</translation>
    </message>
    <message>
        <source>more days of the week</source>
        <translation>больше дней недели</translation>
    </message>
    <message>
        <source>a wider time window</source>
        <translation>более широкий промежуток времени</translation>
    </message>
    <message>
        <source>fewer services in one go</source>
        <translation>меньше услуг за один визит</translation>
    </message>
    <message>
        <source>more days or a later date</source>
        <translation>больше дней или более позднюю дату</translation>
    </message>
    <message>
        <source>No free slot in {days} days from {day}. Try {tips}.</source>
        <translation>Нет свободного времени за {days} дн. начиная с {day}. Попробуйте: {tips}.</translation>
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
    <name>GateNotice</name>
    <message>
        <source>Allergies could not be checked: the health data key is missing on this computer (Back office, Health data key).</source>
        <translation>Аллергии не проверены: на этом компьютере нет ключа медицинских данных (Управление, Ключ медицинских данных).</translation>
    </message>
</context>
<context>
    <name>GridMoves</name>
    <message>
        <source>moving the appointment</source>
        <extracomment>How many moves Ctrl+Z can take back. Whether there is a move to undo. A refusal&apos;s words (&quot;&quot; when the last change went through). The appointment whose pending block must go back where the schedule has it.</extracomment>
        <translation>перенос записи</translation>
    </message>
    <message>
        <source>Move anyway</source>
        <translation>Всё равно перенести</translation>
    </message>
    <message>
        <source>changing the appointment&apos;s length</source>
        <translation>изменение длительности записи</translation>
    </message>
    <message>
        <source>Change anyway</source>
        <translation>Всё равно изменить</translation>
    </message>
    <message>
        <source>undoing the move</source>
        <translation>отмена переноса</translation>
    </message>
    <message>
        <source>Undo anyway</source>
        <translation>Всё равно отменить</translation>
    </message>
</context>
<context>
    <name>GuidedStart</name>
    <message>
        <source>Staff</source>
        <extracomment>The steps this window shows (the shop and the owner are done before the window opens).</extracomment>
        <translation>Сотрудники</translation>
    </message>
    <message>
        <source>Add the people who work here: their name, role, working hours and the services they may do. Each person signs in with their own PIN. The calendar shows a column for each therapist.</source>
        <translation>Добавьте тех, кто здесь работает: имя, роль, рабочие часы и услуги, которые человек может оказывать. Каждый входит со своим PIN-кодом. В календаре у каждого мастера своя колонка.</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>What clients can book: duration, cleanup time, price and the room it needs. Start from a ready menu for your kind of shop and change it as you like, or add your own services one by one.</source>
        <translation>Что клиенты могут записать: длительность, время на уборку, цена и нужный кабинет. Начните с готового меню для вашего типа салона и измените его как удобно — или добавьте услуги по одной.</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Кабинеты</translation>
    </message>
    <message>
        <source>Where treatments take place: treatment rooms, a couples room for two, a sauna for six. A service that needs a kind of room is booked into a free room of that kind.</source>
        <translation>Где проходят процедуры: кабинеты, кабинет для двоих, сауна на шестерых. Услуга, которой нужен кабинет определённого типа, записывается в свободный кабинет этого типа.</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Принтер</translation>
    </message>
    <message>
        <source>The receipt printer and the card scanner of this computer. Try a test print, then save. No printer yet? Skip this step: receipts can be printed later.</source>
        <translation>Чековый принтер и сканер карт на этом компьютере. Сделайте пробную печать и сохраните. Принтера пока нет? Пропустите шаг — чеки можно будет напечатать позже.</translation>
    </message>
    <message>
        <source>Massage studio</source>
        <translation>Массажный салон</translation>
    </message>
    <message>
        <source>Hair salon</source>
        <translation>Парикмахерская</translation>
    </message>
    <message>
        <source>Beauty spa</source>
        <translation>Салон красоты</translation>
    </message>
    <message>
        <source>Bathhouse</source>
        <translation>Баня</translation>
    </message>
    <message>
        <source>Add this starter menu</source>
        <translation>Добавить это меню</translation>
    </message>
    <message>
        <source>Adds its services and rooms in the shop&apos;s language; nothing is added twice.</source>
        <translation>Добавляет услуги и кабинеты на языке салона; повторно ничего не добавляется.</translation>
    </message>
    <message>
        <source>Starter menu:</source>
        <translation>Готовое меню:</translation>
    </message>
    <message>
        <source>adding the starter menu</source>
        <translation>добавлении готового меню</translation>
    </message>
    <message>
        <source>Adding the starter menu…</source>
        <translation>Добавляем готовое меню…</translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n услугу</numerusform>
            <numerusform>%n услуги</numerusform>
            <numerusform>%n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation>
            <numerusform>%n кабинет</numerusform>
            <numerusform>%n кабинета</numerusform>
            <numerusform>%n кабинетов</numerusform>
        </translation>
    </message>
    <message>
        <source>Added {services} and {rooms}.</source>
        <translation>Добавлено: {services} и {rooms}.</translation>
    </message>
    <message>
        <source>Not added (longer than the opening hours?): {names}.</source>
        <translation>Не добавлено (дольше, чем салон открыт?): {names}.</translation>
    </message>
    <message>
        <source>Guided start</source>
        <translation>Пошаговая настройка</translation>
    </message>
    <message>
        <source>Finish later</source>
        <translation>Закончить позже</translation>
    </message>
    <message>
        <source>Close the guide; it stays in the back office as “Guided start…” (Esc)</source>
        <translation>Закрыть пошаговую настройку; она останется в разделе «Управление» как «Пошаговая настройка…» (Esc)</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>The previous step (Alt+Left)</source>
        <translation>Предыдущий шаг (Alt+←)</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Пропустить</translation>
    </message>
    <message>
        <source>Leave this step for later (Alt+S)</source>
        <translation>Отложить этот шаг (Alt+S)</translation>
    </message>
    <message>
        <source>1. The shop</source>
        <translation>1. Салон</translation>
    </message>
    <message>
        <source>2. The owner</source>
        <translation>2. Владелец</translation>
    </message>
    <message>
        <source>opening the guided start</source>
        <translation>открытии пошаговой настройки</translation>
    </message>
    <message>
        <source>Step {number} of {total}: {title}</source>
        <translation>Шаг {number} из {total}: {title}</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Далее</translation>
    </message>
    <message>
        <source>Done with the guide (Alt+Right)</source>
        <translation>Завершить настройку (Alt+→)</translation>
    </message>
    <message>
        <source>The next step (Alt+Right)</source>
        <translation>Следующий шаг (Alt+→)</translation>
    </message>
    <message>
        <source>moving to the next step</source>
        <translation>переходе к следующему шагу</translation>
    </message>
</context>
<context>
    <name>HealthActions</name>
    <message>
        <source>recording an allergy or contraindication</source>
        <translation>запись аллергии или противопоказания</translation>
    </message>
    <message>
        <source>recording a patch test</source>
        <translation>запись пробы на чувствительность</translation>
    </message>
    <message>
        <source>removing an allergy or contraindication</source>
        <translation>удаление аллергии или противопоказания</translation>
    </message>
    <message>
        <source>removing a patch test</source>
        <translation>удаление пробы на чувствительность</translation>
    </message>
</context>
<context>
    <name>HealthKeyPage</name>
    <message>
        <source>Health data key</source>
        <extracomment>Emitted after a file was written, with its path. Emitted after the key was restored. Asked for files (tests put their own in).</extracomment>
        <translation>Ключ медицинских данных</translation>
    </message>
    <message>
        <source>Allergies, contraindications, patch tests and treatment notes are stored encrypted with this shop&apos;s key. Backups carry them encrypted: to read them on another computer you need the key. Export it now and keep it apart from the backups; whoever holds it can read the health data in a copy of the database.</source>
        <translation>Аллергии, противопоказания, пробы на чувствительность и записи о процедурах хранятся зашифрованными ключом салона. В резервных копиях они тоже зашифрованы: чтобы прочитать их на другом компьютере, нужен ключ. Экспортируйте его сейчас и храните отдельно от резервных копий: у кого ключ, тот может прочитать медицинские данные в копии базы.</translation>
    </message>
    <message>
        <source>Export the key to a file…</source>
        <translation>Экспортировать ключ в файл…</translation>
    </message>
    <message>
        <source>Write the key to a file readable only by you ({key})</source>
        <translation>Записать ключ в файл, доступный только вам ({key})</translation>
    </message>
    <message>
        <source>Save a page to print (QR code)…</source>
        <translation>Сохранить страницу для печати (QR-код)…</translation>
    </message>
    <message>
        <source>A PDF with the key as a QR code and as text, to lock away ({key})</source>
        <translation>PDF с ключом в виде QR-кода и текста — храните под замком ({key})</translation>
    </message>
    <message>
        <source>Keep a copy</source>
        <translation>Сохранить копию</translation>
    </message>
    <message>
        <source>FDKEY1-… (spaces and line breaks do not matter)</source>
        <translation>FDKEY1-… (пробелы и переносы строк не важны)</translation>
    </message>
    <message>
        <source>&amp;Key from the printed page:</source>
        <translation>&amp;Ключ с распечатанной страницы:</translation>
    </message>
    <message>
        <source>Restore key</source>
        <translation>Восстановить ключ</translation>
    </message>
    <message>
        <source>Use the typed key on this computer ({key})</source>
        <translation>Использовать введённый ключ на этом компьютере ({key})</translation>
    </message>
    <message>
        <source>Restore from a key file…</source>
        <translation>Восстановить из файла ключа…</translation>
    </message>
    <message>
        <source>Read the key from an exported key file ({key})</source>
        <translation>Прочитать ключ из экспортированного файла ({key})</translation>
    </message>
    <message>
        <source>On a new computer, or after the key was lost: restore the key exported from this shop. A key that does not open this database&apos;s health data is refused.</source>
        <translation>На новом компьютере или после потери ключа восстановите ключ, экспортированный в этом салоне. Ключ, который не открывает медицинские данные этой базы, не будет принят.</translation>
    </message>
    <message>
        <source>Restore the key</source>
        <translation>Восстановление ключа</translation>
    </message>
    <message>
        <source>The key is kept in this computer&apos;s keyring.</source>
        <translation>Ключ хранится в хранилище паролей этого компьютера.</translation>
    </message>
    <message>
        <source>The key is kept in a file readable only by this computer&apos;s user.</source>
        <translation>Ключ хранится в файле, доступном только пользователю этого компьютера.</translation>
    </message>
    <message>
        <source>There is no key for this database on this computer.</source>
        <translation>На этом компьютере нет ключа для этой базы.</translation>
    </message>
    <message>
        <source>Open a key file</source>
        <translation>Открыть файл ключа</translation>
    </message>
    <message>
        <source>Key files (*.txt *.key);;All files (*)</source>
        <translation>Файлы ключа (*.txt *.key);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Export the health data key</source>
        <translation>Экспорт ключа медицинских данных</translation>
    </message>
    <message>
        <source>health-data-key.txt</source>
        <translation>ключ-медданных.txt</translation>
    </message>
    <message>
        <source>Key files (*.txt)</source>
        <translation>Файлы ключа (*.txt)</translation>
    </message>
    <message>
        <source>Save the health data key to print</source>
        <translation>Сохранить ключ медицинских данных для печати</translation>
    </message>
    <message>
        <source>health-data-key.pdf</source>
        <translation>ключ-медданных.pdf</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Файлы PDF (*.pdf)</translation>
    </message>
    <message>
        <source>{shop} · written {day}</source>
        <translation>{shop} · создано {day}</translation>
    </message>
    <message>
        <source>Whoever holds this key can read the clients&apos; health data in a copy of the database. Keep this page locked away, apart from the backups.</source>
        <translation>У кого этот ключ, тот может прочитать медицинские данные клиентов в копии базы. Храните эту страницу под замком, отдельно от резервных копий.</translation>
    </message>
    <message>
        <source>To restore on another computer: Back office, Health data key, then type the text below under Restore the key (spaces and line breaks do not matter) and choose Restore key.</source>
        <translation>Чтобы восстановить на другом компьютере: Управление → Ключ медицинских данных, введите текст ниже в разделе «Восстановление ключа» (пробелы и переносы строк не важны) и нажмите «Восстановить ключ».</translation>
    </message>
    <message>
        <source>Or on the command line: save the text in a file and run: frontdesk key import FILE</source>
        <translation>Или в командной строке: сохраните текст в файл и выполните: frontdesk key import FILE</translation>
    </message>
    <message>
        <source>Written to {file}. Keep it apart from the backups.</source>
        <translation>Записано в {file}. Храните отдельно от резервных копий.</translation>
    </message>
    <message>
        <source>{file} cannot be read as a key file.</source>
        <translation>{file} не читается как файл ключа.</translation>
    </message>
    <message>
        <source>Key restored: health data can be read here.</source>
        <translation>Ключ восстановлен: медицинские данные на этом компьютере доступны.</translation>
    </message>
</context>
<context>
    <name>HealthKeyStatus</name>
    <message>
        <source>⚠ Health data locked</source>
        <translation>⚠ Медданные заблокированы</translation>
    </message>
    <message>
        <source>⚠ Health data key in a file</source>
        <translation>⚠ Ключ медданных хранится в файле</translation>
    </message>
    <message>
        <source>Health data key</source>
        <translation>Ключ медицинских данных</translation>
    </message>
</context>
<context>
    <name>HealthSection</name>
    <message>
        <source>Health information is not shown to your role.</source>
        <translation>Сведения о здоровье для вашей роли не показываются.</translation>
    </message>
    <message>
        <source>Allergies and contraindications</source>
        <translation>Аллергии и противопоказания</translation>
    </message>
    <message>
        <source>No allergies recorded</source>
        <translation>Аллергии не записаны</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Что</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Тяжесть</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Примечания</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Записано</translation>
    </message>
    <message>
        <source>&amp;Remove (Del)</source>
        <translation>&amp;Удалить (Del)</translation>
    </message>
    <message>
        <source>Remove the chosen allergy or contraindication (Delete)</source>
        <translation>Удалить выбранную аллергию или противопоказание (Delete)</translation>
    </message>
    <message>
        <source>Patch tests</source>
        <translation>Пробы на чувствительность</translation>
    </message>
    <message>
        <source>No patch tests recorded</source>
        <translation>Пробы не записаны</translation>
    </message>
    <message>
        <source>Tested on</source>
        <translation>Дата пробы</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Средство</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <source>Re&amp;move patch test (Del)</source>
        <translation>Удалить пр&amp;обу (Del)</translation>
    </message>
    <message>
        <source>Remove the chosen patch test (Delete)</source>
        <translation>Удалить выбранную пробу (Delete)</translation>
    </message>
    <message>
        <source>This client&apos;s health data cannot be shown on this computer: ask the owner to restore the health data key (Back office, Health data key).</source>
        <translation>Данные о здоровье этого клиента нельзя показать на этом компьютере: попросите владельца восстановить ключ медицинских данных (Управление, Ключ медицинских данных).</translation>
    </message>
    <message>
        <source>{date}, {name}</source>
        <translation>{date}, {name}</translation>
    </message>
    <message>
        <source>No allergies or contraindications recorded</source>
        <translation>Аллергии и противопоказания не записаны</translation>
    </message>
    <message>
        <source>Remove this allergy from {client}&apos;s card?</source>
        <translation>Удалить эту аллергию из карточки клиента {client}?</translation>
    </message>
    <message>
        <source>Remove this contraindication from {client}&apos;s card?</source>
        <translation>Удалить это противопоказание из карточки клиента {client}?</translation>
    </message>
    <message>
        <source>Remove this patch test from {client}&apos;s card?</source>
        <translation>Удалить эту пробу из карточки клиента {client}?</translation>
    </message>
    <message>
        <source>Remove health information</source>
        <translation>Удаление данных о здоровье</translation>
    </message>
</context>
<context>
    <name>HistorySection</name>
    <message>
        <source>No visits yet</source>
        <translation>Визитов ещё не было</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Service or product</source>
        <translation>Услуга или товар</translation>
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
        <source>{product} × {quantity}</source>
        <translation>{product} × {quantity}</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Покупка</translation>
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
        <translation>открытие карточек клиентов</translation>
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
        <source>booking past a calendar rule</source>
        <translation>запись в обход правил календаря</translation>
    </message>
    <message>
        <source>marking arrivals and services started or finished</source>
        <translation>отметку прихода, начала и окончания процедур</translation>
    </message>
    <message>
        <source>seeing what clients spend</source>
        <translation>просмотр сумм, потраченных клиентами</translation>
    </message>
    <message>
        <source>reading treatment notes</source>
        <translation>чтение заметок о процедурах</translation>
    </message>
    <message>
        <source>writing treatment notes</source>
        <translation>запись заметок о процедурах</translation>
    </message>
    <message>
        <source>merging client records</source>
        <translation>объединение карточек клиентов</translation>
    </message>
    <message>
        <source>importing and exporting clients</source>
        <translation>импорт и экспорт клиентов</translation>
    </message>
    <message>
        <source>erasing a client&apos;s data</source>
        <translation>удаление данных клиента</translation>
    </message>
    <message>
        <source>exporting or restoring the health data key</source>
        <translation>экспорт и восстановление ключа медицинских данных</translation>
    </message>
    <message>
        <source>adjusting loyalty points</source>
        <translation>изменение бонусных баллов</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>Ожидается</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Подтверждена</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>Клиент пришёл</translation>
    </message>
    <message>
        <source>In service</source>
        <translation>Идёт процедура</translation>
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
        <translation>Неявка</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Банковская карта</translation>
    </message>
    <message>
        <source>Type (service or product)</source>
        <translation>Тип (услуга или товар)</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Артикул</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>Штрихкод</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Tax rate, %</source>
        <translation>НДС, %</translation>
    </message>
    <message>
        <source>Duration, minutes</source>
        <translation>Длительность, мин</translation>
    </message>
    <message>
        <source>Buffer, minutes</source>
        <translation>Перерыв после услуги, мин</translation>
    </message>
    <message>
        <source>Room kind</source>
        <translation>Тип кабинета</translation>
    </message>
    <message>
        <source>Capacity used</source>
        <translation>Занимает мест</translation>
    </message>
    <message>
        <source>Ingredients</source>
        <translation>Состав</translation>
    </message>
    <message>
        <source>Contraindications</source>
        <translation>Противопоказания</translation>
    </message>
    <message>
        <source>Stock on hand</source>
        <translation>Остаток на складе</translation>
    </message>
    <message>
        <source>Low-stock level</source>
        <translation>Минимальный остаток</translation>
    </message>
    <message>
        <source>Allergy</source>
        <translation>Аллергия</translation>
    </message>
    <message>
        <source>Contraindication</source>
        <translation>Противопоказание</translation>
    </message>
    <message>
        <source>Nuts (almond, macadamia, shea)</source>
        <translation>Орехи (миндаль, макадамия, ши)</translation>
    </message>
    <message>
        <source>Lanolin (wool wax)</source>
        <translation>Ланолин (шерстяной воск)</translation>
    </message>
    <message>
        <source>Fragrance / perfume</source>
        <translation>Отдушки / парфюм</translation>
    </message>
    <message>
        <source>PPD hair dye</source>
        <translation>Краска для волос с PPD</translation>
    </message>
    <message>
        <source>Latex</source>
        <translation>Латекс</translation>
    </message>
    <message>
        <source>Essential oils</source>
        <translation>Эфирные масла</translation>
    </message>
    <message>
        <source>Nickel / metals</source>
        <translation>Никель / металлы</translation>
    </message>
    <message>
        <source>Acrylates (nail products)</source>
        <translation>Акрилаты (средства для ногтей)</translation>
    </message>
    <message>
        <source>Formaldehyde (keratin, nail hardener)</source>
        <translation>Формальдегид (кератин, укрепитель ногтей)</translation>
    </message>
    <message>
        <source>Parabens / preservatives</source>
        <translation>Парабены / консерванты</translation>
    </message>
    <message>
        <source>Salicylic acid / aspirin</source>
        <translation>Салициловая кислота / аспирин</translation>
    </message>
    <message>
        <source>AHA fruit acids (glycolic, lactic)</source>
        <translation>AHA-кислоты (гликолевая, молочная)</translation>
    </message>
    <message>
        <source>Wax and colophony (resin)</source>
        <translation>Воск и канифоль (смола)</translation>
    </message>
    <message>
        <source>Henna</source>
        <translation>Хна</translation>
    </message>
    <message>
        <source>Eyelash glue (cyanoacrylate)</source>
        <translation>Клей для ресниц (цианоакрилат)</translation>
    </message>
    <message>
        <source>Seafood / iodine (seaweed wraps)</source>
        <translation>Морепродукты / йод (водорослевые обёртывания)</translation>
    </message>
    <message>
        <source>Soy</source>
        <translation>Соя</translation>
    </message>
    <message>
        <source>Wheat / gluten</source>
        <translation>Пшеница / глютен</translation>
    </message>
    <message>
        <source>Pregnancy</source>
        <translation>Беременность</translation>
    </message>
    <message>
        <source>High blood pressure</source>
        <translation>Повышенное давление</translation>
    </message>
    <message>
        <source>Recent surgery</source>
        <translation>Недавняя операция</translation>
    </message>
    <message>
        <source>Heart condition / pacemaker</source>
        <translation>Болезни сердца / кардиостимулятор</translation>
    </message>
    <message>
        <source>Diabetes</source>
        <translation>Диабет</translation>
    </message>
    <message>
        <source>Epilepsy</source>
        <translation>Эпилепсия</translation>
    </message>
    <message>
        <source>Blood thinners</source>
        <translation>Препараты, разжижающие кровь</translation>
    </message>
    <message>
        <source>Retinoids / isotretinoin (Roaccutane)</source>
        <translation>Ретиноиды / изотретиноин (Роаккутан)</translation>
    </message>
    <message>
        <source>Eczema, psoriasis or broken skin</source>
        <translation>Экзема, псориаз или повреждённая кожа</translation>
    </message>
    <message>
        <source>Varicose veins / thrombosis</source>
        <translation>Варикоз / тромбоз</translation>
    </message>
    <message>
        <source>Cancer treatment</source>
        <translation>Лечение онкологии</translation>
    </message>
    <message>
        <source>Recent sunburn or tanning</source>
        <translation>Недавний солнечный ожог или загар</translation>
    </message>
    <message>
        <source>Metal implants</source>
        <translation>Металлические импланты</translation>
    </message>
    <message>
        <source>Delivery</source>
        <extracomment>Why stock changed, as the form and the history say it (context &quot;Labels&quot;).</extracomment>
        <translation>Поставка</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Пересчёт</translation>
    </message>
    <message>
        <source>Damage</source>
        <translation>Списание</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>Продажа</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>Исправление</translation>
    </message>
</context>
<context>
    <name>LegList</name>
    <message>
        <source>Add a service</source>
        <translation>Добавить услугу</translation>
    </message>
    <message>
        <source>Another service after the last one (Ctrl+Shift+S)</source>
        <translation>Ещё одна услуга после последней (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
</context>
<context>
    <name>LegRow</name>
    <message>
        <source>Service</source>
        <extracomment>Combo boxes keep to this many characters however long a name is (Russian, Chinese).</extracomment>
        <translation>Услуга</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>Мастер</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Кабинет</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Оборудование</translation>
    </message>
    <message>
        <source>Earlier in the sequence (Alt+Up)</source>
        <translation>Раньше по порядку (Alt+Up)</translation>
    </message>
    <message>
        <source>Later in the sequence (Alt+Down)</source>
        <translation>Позже по порядку (Alt+Down)</translation>
    </message>
    <message>
        <source>Take this service off (Ctrl+Delete)</source>
        <translation>Убрать эту услугу (Ctrl+Delete)</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Автоматически</translation>
    </message>
    <message>
        <source>Anyone qualified</source>
        <translation>Любой мастер</translation>
    </message>
</context>
<context>
    <name>LoyaltyPage</name>
    <message>
        <source>e.g. Gold</source>
        <translation>например, Золотой</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove this tier</source>
        <translation>Удалить этот уровень</translation>
    </message>
    <message>
        <source>Loyalty points</source>
        <translation>Бонусные баллы</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Выключено</translation>
    </message>
    <message>
        <source>0 switches loyalty points off.</source>
        <translation>0 — бонусные баллы выключены.</translation>
    </message>
    <message>
        <source>Clients earn points on every whole currency unit they pay. A tier, reached at a lifetime spend, earns a percent of the usual points ({example} earns half as much again).</source>
        <translation>Клиенты получают баллы за каждую целую денежную единицу оплаты. Уровень, которого достигают по сумме всех покупок, даёт процент от обычных баллов ({example} — в полтора раза больше).</translation>
    </message>
    <message>
        <source>&amp;Points per {unit} paid</source>
        <translation>&amp;Баллов за {unit} оплаты</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Уровни</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>From lifetime spend</source>
        <translation>От суммы покупок</translation>
    </message>
    <message>
        <source>Points percent</source>
        <translation>Процент баллов</translation>
    </message>
    <message>
        <source>No tiers: every client earns the usual points.</source>
        <translation>Уровней нет: все клиенты получают обычные баллы.</translation>
    </message>
    <message>
        <source>&amp;Add tier</source>
        <translation>&amp;Добавить уровень</translation>
    </message>
    <message>
        <source>Add a tier (Alt+A)</source>
        <translation>Добавить уровень (Alt+Д)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save the loyalty scheme (Ctrl+S)</source>
        <translation>Сохранить программу лояльности (Ctrl+S)</translation>
    </message>
    <message numerus="yes">
        <source>At most %n tiers.</source>
        <translation>
            <numerusform>Не больше %n уровня.</numerusform>
            <numerusform>Не больше %n уровней.</numerusform>
            <numerusform>Не больше %n уровней.</numerusform>
        </translation>
    </message>
    <message>
        <source>reading the loyalty scheme</source>
        <translation>чтение программы лояльности</translation>
    </message>
    <message>
        <source>saving the loyalty scheme</source>
        <translation>сохранение программы лояльности</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
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
        <source>My day</source>
        <translation>Мой день</translation>
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
        <source>My day is for therapists.</source>
        <translation>«Мой день» — для мастеров.</translation>
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
        <source>Calendar, Clients, Checkout, Reports, Back office, My day</source>
        <translation>Журнал записи, клиенты, касса, отчёты, управление, мой день</translation>
    </message>
    <message>
        <source>Save the note (in My day)</source>
        <translation>Сохранить заметку (в «Моём дне»)</translation>
    </message>
    <message>
        <source>Find a client</source>
        <translation>Найти клиента</translation>
    </message>
    <message>
        <source>Down / Enter / Esc</source>
        <translation>↓ / Enter / Esc</translation>
    </message>
    <message>
        <source>Client search: to the list / open the card / clear or back</source>
        <translation>Поиск клиента: к списку / открыть карточку / очистить или назад</translation>
    </message>
    <message>
        <source>New client (in Clients)</source>
        <translation>Новый клиент (в разделе «Клиенты»)</translation>
    </message>
    <message>
        <source>Client card: save contact, consent and preferences</source>
        <translation>Карточка клиента: сохранить контакты, согласия и предпочтения</translation>
    </message>
    <message>
        <source>Client card: acknowledge the allergy alert</source>
        <translation>Карточка клиента: отметить, что предупреждение об аллергии прочитано</translation>
    </message>
    <message>
        <source>Client card: record an allergy or contraindication</source>
        <translation>Карточка клиента: записать аллергию или противопоказание</translation>
    </message>
    <message>
        <source>Client card: loyalty points</source>
        <translation>Карточка клиента: бонусные баллы</translation>
    </message>
    <message>
        <source>Previous / next day / today</source>
        <translation>Предыдущий / следующий день / сегодня</translation>
    </message>
    <message>
        <source>New appointment (in Calendar; or double-click a free slot)</source>
        <translation>Новая запись (в журнале записи; или двойной щелчок по свободному времени)</translation>
    </message>
    <message>
        <source>Calendar: day / week / month / room board</source>
        <translation>Журнал записи: день / неделя / месяц / кабинеты</translation>
    </message>
    <message>
        <source>Calendar: a column per therapist or per room</source>
        <translation>Журнал записи: столбец на мастера или на кабинет</translation>
    </message>
    <message>
        <source>Calendar: show or hide the waitlist</source>
        <translation>Журнал записи: показать или скрыть лист ожидания</translation>
    </message>
    <message>
        <source>Calendar: show or hide cancelled appointments</source>
        <translation>Журнал записи: показать или скрыть отменённые записи</translation>
    </message>
    <message>
        <source>Calendar: find a free slot</source>
        <translation>Журнал записи: найти свободное время</translation>
    </message>
    <message>
        <source>Selected appointment: confirmed / arrived / in service / done / no-show</source>
        <translation>Выбранная запись: подтверждена / клиент пришёл / идёт услуга / выполнена / неявка</translation>
    </message>
    <message>
        <source>Cancel the selected appointment</source>
        <translation>Отменить выбранную запись</translation>
    </message>
    <message>
        <source>Calendar: undo the last move</source>
        <translation>Журнал записи: отменить последний перенос</translation>
    </message>
    <message>
        <source>Calendar: zoom in / out</source>
        <translation>Журнал записи: увеличить / уменьшить</translation>
    </message>
    <message>
        <source>Ctrl+wheel / Ctrl+= / Ctrl+-</source>
        <translation>Ctrl+колесо мыши / Ctrl+= / Ctrl+-</translation>
    </message>
    <message>
        <source>Arrows / Ctrl+arrows / Shift+Up/Down</source>
        <translation>Стрелки / Ctrl+стрелки / Shift+↑/↓</translation>
    </message>
    <message>
        <source>Calendar: walk / move / resize</source>
        <translation>Журнал записи: перемещение по сетке / перенос записи / изменение длительности</translation>
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
        <source>Checkout: find a product to add (name, SKU or a scan)</source>
        <translation>Касса: найти товар (название, артикул или скан)</translation>
    </message>
    <message>
        <source>Checkout: sell products without an appointment</source>
        <translation>Касса: продать товары без записи</translation>
    </message>
    <message>
        <source>Create the end-of-day PDF (in Reports)</source>
        <translation>Сформировать PDF-отчёт за день (в разделе «Отчёты»)</translation>
    </message>
    <message>
        <source>New / save (in a Back office list)</source>
        <translation>Создать / сохранить (в списках управления)</translation>
    </message>
    <message>
        <source>Open / import / export a price list</source>
        <translation>Открыть / импортировать / экспортировать прайс-лист</translation>
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
    <name>MergeDialog</name>
    <message>
        <source>Merge two records of one client</source>
        <translation>Объединение двух записей одного клиента</translation>
    </message>
    <message>
        <source>Find the other record of {name}. Its visits, sales, points, notes, health entries and tags move to {name}; the other record is closed. This cannot be undone.</source>
        <translation>Клиент: {name}. Найдите другую запись этого клиента. Её визиты, продажи, баллы, заметки, данные о здоровье и метки перейдут в эту карточку, а другая запись будет закрыта. Отменить это нельзя.</translation>
    </message>
    <message>
        <source>Name, phone or card number</source>
        <translation>Имя, телефон или номер карты</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>&amp;Объединить</translation>
    </message>
    <message>
        <source>Move the highlighted record into this client (Alt+M)</source>
        <translation>Перенести выделенную запись к этому клиенту (Alt+О)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Close without merging (Esc)</source>
        <translation>Закрыть без объединения (Esc)</translation>
    </message>
    <message>
        <source>looking for the other record</source>
        <translation>поиск другой записи</translation>
    </message>
    <message>
        <source>merging two records</source>
        <translation>объединение двух записей</translation>
    </message>
</context>
<context>
    <name>MonthView</name>
    <message>
        <source>Closed</source>
        <extracomment>What the month shows: appointments, the therapists&apos; hours and absences, the shop&apos;s hours, closed days and zone. Load bar colours: light, busy, nearly full (the percentage is always written beside it).</extracomment>
        <translation>Закрыто</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>The shop is closed</source>
        <translation>Салон закрыт</translation>
    </message>
    <message numerus="yes">
        <source>%n appointment(s)</source>
        <translation>
            <numerusform>%n запись</numerusform>
            <numerusform>%n записи</numerusform>
            <numerusform>%n записей</numerusform>
        </translation>
    </message>
    <message>
        <source>{percent} of working time booked ({booked} h of {working} h)</source>
        <translation>Занято {percent} рабочего времени ({booked} ч из {working} ч)</translation>
    </message>
    <message>
        <source>No working hours</source>
        <translation>Никто не работает</translation>
    </message>
    <message>
        <source>◀ Previous month</source>
        <extracomment>The chosen day; its month is on screen. The month&apos;s load on screen (None until the first read arrives).</extracomment>
        <translation>◀ Предыдущий месяц</translation>
    </message>
    <message>
        <source>Previous month (Page Up)</source>
        <translation>Предыдущий месяц (Page Up)</translation>
    </message>
    <message>
        <source>Back to this month (Alt+Home)</source>
        <translation>К текущему месяцу (Alt+Home)</translation>
    </message>
    <message>
        <source>Next month ▶</source>
        <translation>Следующий месяц ▶</translation>
    </message>
    <message>
        <source>Next month (Page Down)</source>
        <translation>Следующий месяц (Page Down)</translation>
    </message>
    <message>
        <source>Arrows move a day or a week, Page Up/Page Down a month; Enter opens the day</source>
        <translation>Стрелки — на день или неделю, Page Up/Page Down — на месяц; Enter открывает день</translation>
    </message>
    <message>
        <source>Appointments per day this month</source>
        <translation>Записи по дням за месяц</translation>
    </message>
    <message>
        <source>loading the month</source>
        <translation>загрузка месяца</translation>
    </message>
    <message>
        <source>{appointments} · {percent} of working time booked</source>
        <translation>{appointments} · занято {percent} рабочего времени</translation>
    </message>
</context>
<context>
    <name>MyDay</name>
    <message>
        <source>severe</source>
        <extracomment>What a brief shows: appointments, clients (health, notes, preferences), services, staff.</extracomment>
        <translation>тяжёлая степень</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>средняя степень</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>лёгкая степень</translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation>Сила нажатия</translation>
    </message>
    <message>
        <source>Room temperature</source>
        <translation>Температура в кабинете</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>Музыка</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Нравится</translation>
    </message>
    <message>
        <source>Dislikes</source>
        <translation>Не нравится</translation>
    </message>
    <message>
        <source>Topics to avoid</source>
        <translation>Темы, которых лучше избегать</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Примечания</translation>
    </message>
    <message>
        <source>light</source>
        <translation>лёгкая</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>средняя</translation>
    </message>
    <message>
        <source>firm</source>
        <translation>сильная</translation>
    </message>
    <message>
        <source>deep</source>
        <translation>глубокая</translation>
    </message>
    <message>
        <source>cooler</source>
        <translation>прохладнее</translation>
    </message>
    <message>
        <source>usual</source>
        <translation>как обычно</translation>
    </message>
    <message>
        <source>warmer</source>
        <translation>теплее</translation>
    </message>
</context>
<context>
    <name>MyDayArea</name>
    <message>
        <source>My day — {name}</source>
        <translation>Мой день — {name}</translation>
    </message>
    <message>
        <source>No more clients today.</source>
        <translation>Сегодня больше клиентов нет.</translation>
    </message>
    <message>
        <source>loading my day</source>
        <translation>загрузка моего дня</translation>
    </message>
    <message>
        <source>Note saved for {client}.</source>
        <translation>Заметка сохранена: {client}.</translation>
    </message>
    <message>
        <source>saving the note</source>
        <translation>сохранение заметки</translation>
    </message>
</context>
<context>
    <name>NewShopDialog</name>
    <message>
        <source>Welcome to FrontDesk</source>
        <extracomment>The tax rate included in prices, in per cent as typed (&quot;&quot; for none). The receipt&apos;s closing line, in the language the window speaks (the shop&apos;s, as chosen). Shop locales offered (any other can be set later on the shop page): the program speaks English, Chinese and Russian; numbers, dates and money follow the shop&apos;s locale. The usual time zone of each offered locale&apos;s country, when the computer&apos;s is elsewhere. Currencies offered in the list; any other ISO code may be typed.</extracomment>
        <translation>Добро пожаловать в FrontDesk</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>Название салона</translation>
    </message>
    <message>
        <source>Language and country</source>
        <translation>Язык и страна</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>Tax in prices (%)</source>
        <translation>Налог в ценах (%)</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
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
        <translation>Повторите PIN-код</translation>
    </message>
    <message>
        <source>As it should appear on receipts</source>
        <translation>Как на чеках</translation>
    </message>
    <message>
        <source>e.g. 20; empty for none (change it later)</source>
        <translation>например, 20; пусто — без налога (можно изменить позже)</translation>
    </message>
    <message>
        <source>The sales tax (VAT) included in your prices; services start with it.</source>
        <translation>Налог с продаж (НДС), включённый в ваши цены; новые услуги получают эту ставку.</translation>
    </message>
    <message>
        <source>Type part of a city&apos;s name to find its time zone.</source>
        <translation>Начните вводить название города, чтобы найти часовой пояс.</translation>
    </message>
    <message>
        <source>The three-letter code, e.g. GBP, EUR, CNY, RUB.</source>
        <translation>Трёхбуквенный код, например RUB, EUR, USD, CNY.</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Назад</translation>
    </message>
    <message>
        <source>The previous step (Alt+B)</source>
        <translation>Предыдущий шаг (Alt+B)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Close FrontDesk; nothing is saved yet.</source>
        <translation>Закрыть FrontDesk; пока ничего не сохранено.</translation>
    </message>
    <message>
        <source>Step {step} of 6</source>
        <translation>Шаг {step} из 6</translation>
    </message>
    <message>
        <source>Your shop</source>
        <translation>Ваш салон</translation>
    </message>
    <message>
        <source>Welcome! A few questions and FrontDesk is ready: first the shop, then the owner&apos;s PIN. Staff, services, rooms and the printer follow, and each of those can be skipped and set later in the back office. (To try FrontDesk with sample data instead, quit and run `frontdesk demo`.)</source>
        <translation>Добро пожаловать! Несколько вопросов — и FrontDesk готов к работе: сначала салон, затем PIN-код владельца. Потом сотрудники, услуги, кабинеты и принтер — любой из этих шагов можно пропустить и настроить позже в разделе «Управление». (Чтобы попробовать FrontDesk на примере, выйдите и запустите `frontdesk demo`.)</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Далее</translation>
    </message>
    <message>
        <source>The owner&apos;s account (Enter)</source>
        <translation>Учётная запись владельца (Enter)</translation>
    </message>
    <message>
        <source>The owner</source>
        <translation>Владелец</translation>
    </message>
    <message>
        <source>The owner may do everything, including setting up staff and their PINs. Choose a PIN of 4 to 8 digits that nobody else knows.</source>
        <translation>Владельцу доступно всё, в том числе сотрудники и их PIN-коды. Придумайте PIN-код из 4–8 цифр, который не знает никто другой.</translation>
    </message>
    <message>
        <source>&amp;Create the shop and sign in</source>
        <translation>&amp;Создать салон и войти</translation>
    </message>
    <message>
        <source>Save the shop and the owner (Enter)</source>
        <translation>Сохранить салон и владельца (Enter)</translation>
    </message>
    <message>
        <source>Thank you for your visit!</source>
        <translation>Спасибо, что выбрали нас!</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Проверяем…</translation>
    </message>
    <message>
        <source>Creating the shop…</source>
        <translation>Создаём салон…</translation>
    </message>
    <message>
        <source>setting up the shop</source>
        <translation>настройке салона</translation>
    </message>
</context>
<context>
    <name>NotesSection</name>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Автор</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Визит</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Treatment notes are not shown to your role.</source>
        <translation>Заметки о процедурах для вашей роли не показываются.</translation>
    </message>
    <message>
        <source>No treatment notes yet</source>
        <translation>Заметок о процедурах ещё нет</translation>
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
    <name>OverridePrompt</name>
    <message>
        <source>Book past a rule</source>
        <extracomment>A reason is a short sentence for the audit log, not an essay.</extracomment>
        <translation>Запись в обход правила</translation>
    </message>
    <message>
        <source>You may go ahead anyway. Why? The reason is kept in the audit log.</source>
        <translation>Можно всё равно продолжить. Почему? Причина сохранится в журнале аудита.</translation>
    </message>
    <message>
        <source>For example: the client agreed to wait</source>
        <translation>Например: клиент согласен подождать</translation>
    </message>
    <message>
        <source>Book anyway</source>
        <translation>Всё равно записать</translation>
    </message>
    <message>
        <source>Go ahead with this reason (Enter)</source>
        <translation>Продолжить с этой причиной (Enter)</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>Невозможно</translation>
    </message>
</context>
<context>
    <name>PatchTestForm</name>
    <message>
        <source>Add a patch test</source>
        <translation>Добавить пробу на чувствительность</translation>
    </message>
    <message>
        <source>e.g. no reaction after 48 hours</source>
        <translation>например, реакции нет через 48 часов</translation>
    </message>
    <message>
        <source>Teste&amp;d on</source>
        <translation>Д&amp;ата пробы</translation>
    </message>
    <message>
        <source>Produc&amp;t</source>
        <translation>С&amp;редство</translation>
    </message>
    <message>
        <source>Resu&amp;lt</source>
        <translation>Резу&amp;льтат</translation>
    </message>
    <message>
        <source>Add patch test</source>
        <translation>Добавить пробу</translation>
    </message>
    <message>
        <source>Add the patch test to the client&apos;s card (Enter)</source>
        <translation>Добавить пробу в карточку клиента (Enter)</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>PIN for {name}</source>
        <translation>PIN-код: {name}</translation>
    </message>
    <message>
        <source>Let {name} type a new PIN of 4 to 8 digits, twice. They sign in with it.</source>
        <translation>Пусть {name} дважды введёт новый PIN-код из 4–8 цифр. С ним сотрудник будет входить в программу.</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>Новый PIN-код</translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation>Повторите PIN-код</translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation>Установить PIN-код</translation>
    </message>
    <message>
        <source>setting a PIN</source>
        <translation>установка PIN-кода</translation>
    </message>
</context>
<context>
    <name>PointsDialog</name>
    <message>
        <source>Loyalty points</source>
        <translation>Бонусные баллы</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>No points yet.</source>
        <translation>Баллов пока нет.</translation>
    </message>
    <message>
        <source>Negative to take points off (a redemption).</source>
        <translation>Отрицательное число списывает баллы (оплата баллами).</translation>
    </message>
    <message>
        <source>Points to add</source>
        <translation>Изменение баллов (±)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>e.g. Birthday gift, redeemed for a scrub</source>
        <translation>например, подарок ко дню рождения, списание за скраб</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Применить</translation>
    </message>
    <message>
        <source>Apply the change (Ctrl+Return)</source>
        <translation>Применить изменение (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Adjust points</source>
        <translation>Изменить баллы</translation>
    </message>
    <message>
        <source>reading the client&apos;s points</source>
        <translation>чтение баллов клиента</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>Начислено</translation>
    </message>
    <message>
        <source>Redeemed</source>
        <translation>Списано</translation>
    </message>
    <message>
        <source>Adjusted</source>
        <translation>Корректировка</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Перенесено</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>Объединение карточек</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message numerus="yes">
        <source>%Ln point(s)</source>
        <translation>
            <numerusform>%Ln балл</numerusform>
            <numerusform>%Ln балла</numerusform>
            <numerusform>%Ln баллов</numerusform>
        </translation>
    </message>
    <message>
        <source>Tier: {tier}</source>
        <translation>Уровень: {tier}</translation>
    </message>
    <message>
        <source>Lifetime spend: {amount}</source>
        <translation>Всего потрачено: {amount}</translation>
    </message>
    <message>
        <source>No tier yet.</source>
        <translation>Уровня пока нет.</translation>
    </message>
    <message>
        <source>Points and their history are shown to the front desk and managers.</source>
        <translation>Баллы и их история видны только администратору и управляющему.</translation>
    </message>
    <message>
        <source>changing the client&apos;s points</source>
        <translation>изменение баллов клиента</translation>
    </message>
</context>
<context>
    <name>PreferencesSection</name>
    <message>
        <source>— not recorded —</source>
        <translation>— не указано —</translation>
    </message>
    <message>
        <source>Pressure</source>
        <translation>Сила нажатия</translation>
    </message>
    <message>
        <source>Preferred therapist</source>
        <translation>Любимый мастер</translation>
    </message>
    <message>
        <source>Room temperature</source>
        <translation>Температура в кабинете</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>Музыка</translation>
    </message>
    <message>
        <source>Oils and products liked</source>
        <translation>Любимые масла и средства</translation>
    </message>
    <message>
        <source>Oils and products disliked</source>
        <translation>Нелюбимые масла и средства</translation>
    </message>
    <message>
        <source>Topics to avoid</source>
        <translation>Темы, которых избегать</translation>
    </message>
    <message>
        <source>Anything else</source>
        <translation>Прочее</translation>
    </message>
    <message>
        <source>Also noted</source>
        <translation>Также отмечено</translation>
    </message>
    <message>
        <source>— anyone —</source>
        <translation>— любой —</translation>
    </message>
    <message>
        <source>{topic}: {value}</source>
        <translation>{topic}: {value}</translation>
    </message>
</context>
<context>
    <name>PriceListPage</name>
    <message>
        <source>Open a price list…</source>
        <translation>Открыть прайс-лист…</translation>
    </message>
    <message>
        <source>Choose a CSV file of services and products ({key})</source>
        <translation>Выбрать CSV-файл с услугами и товарами ({key})</translation>
    </message>
    <message>
        <source>Export the price list…</source>
        <translation>Выгрузить прайс-лист…</translation>
    </message>
    <message>
        <source>Write every service and product to a CSV file ({key})</source>
        <translation>Записать все услуги и товары в CSV-файл ({key})</translation>
    </message>
    <message>
        <source>Add and update every row of the file, all or nothing ({key})</source>
        <translation>Добавить и обновить все строки файла — либо всё, либо ничего ({key})</translation>
    </message>
    <message>
        <source>price-list.csv</source>
        <translation>прайс-лист.csv</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Columns it reads: type (service or product), category, name, price, duration, buffer, tax, room kind, capacity, SKU, barcode, stock, low stock, ingredients and contraindications. Services need a name, price and duration; products a name, price and SKU. Importing the same file again updates instead of adding twice.</source>
        <translation>Читаются столбцы: тип (услуга или товар), категория, название, цена, длительность, перерыв, НДС, тип кабинета, число мест, артикул, штрихкод, остаток, минимальный остаток, состав и противопоказания. Для услуги нужны название, цена и длительность, для товара — название, цена и артикул. Повторный импорт того же файла обновляет записи, а не добавляет их второй раз.</translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) to add</source>
        <translation>
            <numerusform>добавится %n услуга</numerusform>
            <numerusform>добавятся %n услуги</numerusform>
            <numerusform>добавятся %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) to update</source>
        <translation>
            <numerusform>обновится %n услуга</numerusform>
            <numerusform>обновятся %n услуги</numerusform>
            <numerusform>обновятся %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) to add</source>
        <translation>
            <numerusform>добавится %n товар</numerusform>
            <numerusform>добавятся %n товара</numerusform>
            <numerusform>добавятся %n товаров</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) to update</source>
        <translation>
            <numerusform>обновится %n товар</numerusform>
            <numerusform>обновятся %n товара</numerusform>
            <numerusform>обновятся %n товаров</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n без изменений</numerusform>
            <numerusform>%n без изменений</numerusform>
            <numerusform>%n без изменений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) added</source>
        <translation>
            <numerusform>добавлена %n услуга</numerusform>
            <numerusform>добавлены %n услуги</numerusform>
            <numerusform>добавлено %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) updated</source>
        <translation>
            <numerusform>обновлена %n услуга</numerusform>
            <numerusform>обновлены %n услуги</numerusform>
            <numerusform>обновлено %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) added</source>
        <translation>
            <numerusform>добавлен %n товар</numerusform>
            <numerusform>добавлены %n товара</numerusform>
            <numerusform>добавлено %n товаров</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) updated</source>
        <translation>
            <numerusform>обновлён %n товар</numerusform>
            <numerusform>обновлены %n товара</numerusform>
            <numerusform>обновлено %n товаров</numerusform>
        </translation>
    </message>
    <message>
        <source>The price list was written to {file}.</source>
        <translation>Прайс-лист записан в {file}.</translation>
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
        <source>Set up the receipt printer in Back office → Printer and scanner.</source>
        <translation>Настройте принтер чеков в разделе «Управление → Принтер и сканер».</translation>
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
    <name>ProductLines</name>
    <message>
        <source>Add product: type a name, SKU or barcode, or scan</source>
        <translation>Добавить товар: название, артикул или штрихкод — или отсканируйте</translation>
    </message>
    <message>
        <source>Add product (F7): Enter adds the highlighted product; a scan adds it at once</source>
        <translation>Добавить товар (F7): Enter добавляет выделенный товар, скан — сразу</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Кол-во</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>+ and − change the highlighted line&apos;s quantity; Delete takes it off the sale</source>
        <translation>+ и − меняют количество в выделенной строке; Delete убирает её из продажи</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>Убрать строку</translation>
    </message>
    <message>
        <source>Take the highlighted line off the sale (Delete)</source>
        <translation>Убрать выделенную строку из продажи (Delete)</translation>
    </message>
    <message>
        <source>Quantity of {product}</source>
        <translation>Количество: {product}</translation>
    </message>
    <message>
        <source>Only {on_hand} of {product} on hand.</source>
        <translation>{product}: в наличии только {on_hand}.</translation>
    </message>
    <message>
        <source>searching products</source>
        <translation>поиске товаров</translation>
    </message>
    <message>
        <source>{name} · {price} · {stock}</source>
        <translation>{name} · {price} · {stock}</translation>
    </message>
    <message numerus="yes">
        <source>%n in stock</source>
        <translation>
            <numerusform>в наличии %n</numerusform>
            <numerusform>в наличии %n</numerusform>
            <numerusform>в наличии %n</numerusform>
        </translation>
    </message>
    <message>
        <source>No product found: check the name, SKU or barcode.</source>
        <translation>Товар не найден: проверьте название, артикул или штрихкод.</translation>
    </message>
</context>
<context>
    <name>ProductsPage</name>
    <message>
        <source>Running low only</source>
        <translation>Только заканчивающиеся</translation>
    </message>
    <message>
        <source>List only the products at or below their low-stock level</source>
        <translation>Показать только товары, которых осталось не больше порога</translation>
    </message>
    <message>
        <source>Search by name, SKU or barcode</source>
        <translation>Поиск по названию, артикулу или штрихкоду</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>Новый товар</translation>
    </message>
    <message>
        <source>No products yet. Add what you sell over the counter with New product (Ctrl+N).</source>
        <translation>Товаров пока нет. Добавьте то, что продаёте на стойке, кнопкой «Новый товар» (Ctrl+N).</translation>
    </message>
    <message>
        <source>Choose a product on the left, or add one with New product (Ctrl+N).</source>
        <translation>Выберите товар слева или добавьте новый кнопкой «Новый товар» (Ctrl+N).</translation>
    </message>
    <message>
        <source>This product is archived: it is no longer sold. Restore it to sell it again.</source>
        <translation>Товар в архиве: он больше не продаётся. Восстановите его, чтобы снова продавать.</translation>
    </message>
    <message numerus="yes">
        <source>%n on hand</source>
        <translation>
            <numerusform>в наличии %n</numerusform>
            <numerusform>в наличии %n</numerusform>
            <numerusform>в наличии %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Running low</source>
        <translation>Заканчивается</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>Артикул</translation>
    </message>
    <message>
        <source>Your own code for the product: letters and digits</source>
        <translation>Ваш собственный код товара: буквы и цифры</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>Штрихкод</translation>
    </message>
    <message>
        <source>Scan it or type it (optional)</source>
        <translation>Отсканируйте или введите (необязательно)</translation>
    </message>
    <message>
        <source>Price (tax included)</source>
        <translation>Цена (с налогом)</translation>
    </message>
    <message>
        <source>Tax rate (%)</source>
        <translation>Ставка налога (%)</translation>
    </message>
    <message>
        <source>The product is shown as running low at this many on hand or fewer</source>
        <translation>Товар помечается как заканчивающийся, когда его остаётся столько или меньше</translation>
    </message>
    <message>
        <source>Running low at</source>
        <translation>Порог остатка</translation>
    </message>
    <message>
        <source>Ingredients</source>
        <translation>Состав</translation>
    </message>
    <message>
        <source>Contraindications</source>
        <translation>Противопоказания</translation>
    </message>
    <message>
        <source>Separated by commas</source>
        <translation>Через запятую</translation>
    </message>
    <message>
        <source>The client card warns when a client has one of these</source>
        <translation>Карточка клиента предупредит, если у клиента есть что-то из этого</translation>
    </message>
    <message>
        <source>reading the stock</source>
        <translation>чтение остатков</translation>
    </message>
</context>
<context>
    <name>QuickAddDialog</name>
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
        <source>E-mail (optional)</source>
        <translation>E-mail (необязательно)</translation>
    </message>
    <message>
        <source>This may be a client you already have. Open one of them instead?</source>
        <translation>Возможно, этот клиент уже есть. Открыть его карточку?</translation>
    </message>
    <message>
        <source>Open the highlighted client instead (Enter)</source>
        <translation>Открыть карточку выделенного клиента (Enter)</translation>
    </message>
    <message>
        <source>Save as &amp;new</source>
        <translation>Создать &amp;нового клиента</translation>
    </message>
    <message>
        <source>Save a new client all the same (Alt+N)</source>
        <translation>Всё равно создать нового клиента (Alt+Н)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Save the new client (Enter)</source>
        <translation>Сохранить нового клиента (Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Close without saving (Esc)</source>
        <translation>Закрыть без сохранения (Esc)</translation>
    </message>
    <message>
        <source>looking for the same client</source>
        <translation>поиск такого же клиента</translation>
    </message>
    <message>
        <source>saving the client</source>
        <translation>сохранение клиента</translation>
    </message>
    <message>
        <source>Open {name} instead</source>
        <translation>Открыть карточку: {name}</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Show archived</source>
        <extracomment>Needs attention (a product running low): shown in bold; `show_flagged_only` lists only these. Say why in `detail` too: bold alone tells a screen reader nothing. Emitted with the record&apos;s id after it was saved (tests and the guided start wait on it). Kinds of change that may alter this page&apos;s records. Whether records of this kind can be archived (and so restored).</extracomment>
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
    <name>RecurringDialog</name>
    <message>
        <source>Repeat appointment</source>
        <extracomment>The last check&apos;s result, for the settings now in the form (None: not checked). The reason given to go past the safety gate (asked once for the whole series).</extracomment>
        <translation>Повторить запись</translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;До</translation>
    </message>
    <message>
        <source>&amp;Times in all</source>
        <translation>&amp;Всего раз</translation>
    </message>
    <message>
        <source>How many appointments, this one included</source>
        <translation>Сколько всего записей, включая эту</translation>
    </message>
    <message>
        <source>Every (weeks)</source>
        <translation>Каждые (недель)</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Окончание</translation>
    </message>
    <message>
        <source>&amp;Check dates</source>
        <translation>&amp;Проверить даты</translation>
    </message>
    <message>
        <source>List each date with what is in its way (F5)</source>
        <translation>Показать каждую дату и что ей мешает (F5)</translation>
    </message>
    <message>
        <source>&amp;Skip the dates that clash</source>
        <translation>П&amp;ропустить занятые даты</translation>
    </message>
    <message>
        <source>Book</source>
        <extracomment>The service matches the client&apos;s allergy: Book asks for a reason first. The client&apos;s allergies could not be read here (no health data key).</extracomment>
        <translation>Записать</translation>
    </message>
    <message>
        <source>Book every date listed as OK (Ctrl+Enter)</source>
        <translation>Записать на все даты с отметкой «свободно» (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>reading the appointment</source>
        <translation>чтение записи</translation>
    </message>
    <message>
        <source>{client}: {service} with {therapist}, {day} {time}</source>
        <translation>{client}: {service}, мастер {therapist}, {day} {time}</translation>
    </message>
    <message>
        <source>Booking the repeats asks for the reason once.</source>
        <translation>При записи на повторы причину спросят один раз.</translation>
    </message>
    <message>
        <source>checking the dates</source>
        <translation>проверка дат</translation>
    </message>
    <message>
        <source>{when} · OK</source>
        <translation>{when} · свободно</translation>
    </message>
    <message numerus="yes">
        <source>%n date(s) free</source>
        <translation>
            <numerusform>%n дата свободна</numerusform>
            <numerusform>%n даты свободны</numerusform>
            <numerusform>%n дат свободно</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n date(s) clash</source>
        <translation>
            <numerusform>%n дата занята</numerusform>
            <numerusform>%n даты заняты</numerusform>
            <numerusform>%n дат занято</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Book %n</source>
        <translation>
            <numerusform>Записать %n визит</numerusform>
            <numerusform>Записать %n визита</numerusform>
            <numerusform>Записать %n визитов</numerusform>
        </translation>
    </message>
    <message>
        <source>booking the repeats</source>
        <translation>запись повторов</translation>
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
    <name>RoomBoardView</name>
    <message>
        <source>Room board</source>
        <translation>Табло кабинетов</translation>
    </message>
    <message>
        <source>Free · Booked (due within {minutes} min) · In service · Cleaning</source>
        <translation>Свободно · Забронировано (начало в ближайшие {minutes} мин) · Идёт процедура · Уборка</translation>
    </message>
    <message>
        <source>No rooms or equipment are set up yet. Add them in the back office, under Rooms and equipment.</source>
        <translation>Кабинеты и оборудование ещё не заведены. Добавьте их в разделе «Управление → Кабинеты и оборудование».</translation>
    </message>
    <message>
        <source>loading the room board</source>
        <translation>загрузка табло кабинетов</translation>
    </message>
    <message>
        <source>At {time}</source>
        <translation>На {time}</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Кабинеты</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Оборудование</translation>
    </message>
</context>
<context>
    <name>RoomsPage</name>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>reading the services</source>
        <translation>чтение услуг</translation>
    </message>
    <message numerus="yes">
        <source>{name} (takes %n place(s))</source>
        <translation>
            <numerusform>{name} (занимает %n место)</numerusform>
            <numerusform>{name} (занимает %n места)</numerusform>
            <numerusform>{name} (занимает %n мест)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{name} (needs %n)</source>
        <translation>
            <numerusform>{name} (нужно %n)</numerusform>
            <numerusform>{name} (нужно %n)</numerusform>
            <numerusform>{name} (нужно %n)</numerusform>
        </translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>Кабинеты</translation>
    </message>
    <message>
        <source>Equipment</source>
        <translation>Оборудование</translation>
    </message>
</context>
<context>
    <name>RoomsTab</name>
    <message>
        <source>Search rooms by name or kind</source>
        <translation>Поиск кабинета по названию или типу</translation>
    </message>
    <message>
        <source>New room</source>
        <translation>Новый кабинет</translation>
    </message>
    <message>
        <source>No rooms yet. Add the rooms treatments happen in with New room (Ctrl+N).</source>
        <translation>Кабинетов пока нет. Добавьте кабинеты, где проходят процедуры, кнопкой «Новый кабинет» (Ctrl+N).</translation>
    </message>
    <message>
        <source>Choose a room on the left, or add one with New room (Ctrl+N).</source>
        <translation>Выберите кабинет слева или добавьте новый кнопкой «Новый кабинет» (Ctrl+N).</translation>
    </message>
    <message>
        <source>This room is archived: nothing can be booked in it. Restore it to use it again.</source>
        <translation>Кабинет в архиве: в него нельзя записать. Восстановите его, чтобы снова им пользоваться.</translation>
    </message>
    <message numerus="yes">
        <source>%n place(s)</source>
        <translation>
            <numerusform>%n место</numerusform>
            <numerusform>%n места</numerusform>
            <numerusform>%n мест</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>treatment, couples, sauna…</source>
        <translation>процедурный, парный, сауна…</translation>
    </message>
    <message>
        <source>Services name the kind of room they need: any room of that kind will do</source>
        <translation>В услуге указывается нужный тип кабинета: подойдёт любой кабинет этого типа</translation>
    </message>
    <message>
        <source>How many people it holds at once: a sauna for 6, a couples room for 2</source>
        <translation>Сколько человек помещается одновременно: сауна на 6, парный кабинет на 2</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Вместимость</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Which kind of room a service needs is set on each service, in Services.</source>
        <translation>Какой тип кабинета нужен услуге, задаётся в самой услуге, в разделе «Услуги».</translation>
    </message>
    <message>
        <source>reading the kinds of room</source>
        <translation>чтение типов кабинетов</translation>
    </message>
    <message>
        <source>Save the room first.</source>
        <translation>Сначала сохраните кабинет.</translation>
    </message>
    <message>
        <source>No active service needs a room of this kind yet.</source>
        <translation>Пока ни одной действующей услуге не нужен кабинет этого типа.</translation>
    </message>
    <message>
        <source>Give the room a kind so services can ask for it.</source>
        <translation>Укажите тип кабинета, чтобы услуги могли его использовать.</translation>
    </message>
</context>
<context>
    <name>SaleResult</name>
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
        <source>Set up a serial barcode scanner in Back office → Printer and scanner.</source>
        <translation>Настройте сканер штрихкодов в разделе «Управление → Принтер и сканер».</translation>
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
    <name>ServiceChecklist</name>
    <message>
        <source>All services</source>
        <translation>Все услуги</translation>
    </message>
    <message>
        <source>No services yet: add them under Services.</source>
        <translation>Услуг пока нет: добавьте их в разделе «Услуги».</translation>
    </message>
</context>
<context>
    <name>ServicesPage</name>
    <message>
        <source>opening a service</source>
        <translation>открытие услуги</translation>
    </message>
    <message>
        <source>Search services, categories, tags</source>
        <translation>Поиск услуг, категорий, меток</translation>
    </message>
    <message>
        <source>New service</source>
        <translation>Новая услуга</translation>
    </message>
    <message>
        <source>No services yet. Press New service (Ctrl+N) to add the first one; its category is created as you name it.</source>
        <translation>Услуг пока нет. Нажмите «Новая услуга» (Ctrl+N), чтобы добавить первую; категория создаётся, как только вы введёте её название.</translation>
    </message>
    <message>
        <source>Choose a service on the left, or add a new one (Ctrl+N).</source>
        <translation>Выберите услугу слева или добавьте новую (Ctrl+N).</translation>
    </message>
    <message>
        <source>This service is archived: it is no longer offered. Past sales and bookings keep it. Restore it to offer it again.</source>
        <translation>Эта услуга в архиве и больше не предлагается. Прошлые продажи и записи её сохраняют. Восстановите, чтобы снова её предлагать.</translation>
    </message>
    <message>
        <source>{category} · {minutes} min · {price}</source>
        <translation>{category} · {minutes} мин · {price}</translation>
    </message>
    <message>
        <source>reading the categories</source>
        <translation>чтение категорий</translation>
    </message>
    <message>
        <source>Choose, or type a new one</source>
        <translation>Выберите или введите новую</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Duration (minutes)</source>
        <translation>Длительность (мин)</translation>
    </message>
    <message>
        <source>Buffer after (minutes)</source>
        <translation>Перерыв после (мин)</translation>
    </message>
    <message>
        <source>Time to clean up or for products to work, kept free after the service</source>
        <translation>Время на уборку или действие средств, которое остаётся свободным после услуги</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>The price with tax included</source>
        <translation>Цена с учётом налога</translation>
    </message>
    <message>
        <source>A changed price or tax rate applies from this day; a later day schedules it. Sales and bookings already made keep their price.</source>
        <translation>Новая цена или ставка налога действует с этого дня; более поздняя дата назначает изменение заранее. Уже сделанные продажи и записи сохраняют свою цену.</translation>
    </message>
    <message>
        <source>New price from</source>
        <translation>Новая цена с</translation>
    </message>
    <message>
        <source>Cancel the scheduled change</source>
        <translation>Отменить запланированное изменение</translation>
    </message>
    <message>
        <source>Tax rate (%)</source>
        <translation>Ставка налога (%)</translation>
    </message>
    <message>
        <source>Room kind needed</source>
        <translation>Нужный тип кабинета</translation>
    </message>
    <message>
        <source>Empty: no room needed</source>
        <translation>Пусто: кабинет не нужен</translation>
    </message>
    <message>
        <source>Places it takes in its room: 1 sauna place, 2 in a couples room</source>
        <translation>Сколько мест занимает в кабинете: 1 место в сауне, 2 в кабинете для пар</translation>
    </message>
    <message>
        <source>Places it uses</source>
        <translation>Занимает мест</translation>
    </message>
    <message>
        <source>Equipment needed</source>
        <translation>Нужное оборудование</translation>
    </message>
    <message>
        <source>Ingredients</source>
        <translation>Ингредиенты</translation>
    </message>
    <message>
        <source>Separated by commas, e.g. nut oil, lavender</source>
        <translation>Через запятую, например: ореховое масло, лаванда</translation>
    </message>
    <message>
        <source>Not for (contraindications)</source>
        <translation>Противопоказания</translation>
    </message>
    <message>
        <source>Separated by commas, e.g. pregnancy, high blood pressure</source>
        <translation>Через запятую, например: беременность, высокое давление</translation>
    </message>
    <message>
        <source>Can be booked</source>
        <translation>Можно записаться</translation>
    </message>
    <message>
        <source>Lower numbers are listed first in their category</source>
        <translation>Меньшие номера показываются первыми в своей категории</translation>
    </message>
    <message>
        <source>Display order</source>
        <translation>Порядок</translation>
    </message>
    <message>
        <source>Today: {price}, tax {rate}.</source>
        <translation>Сегодня: {price}, налог {rate}.</translation>
    </message>
    <message>
        <source>From {day}: {price}, tax {rate}.</source>
        <translation>С {day}: {price}, налог {rate}.</translation>
    </message>
    <message>
        <source>cancelling the price change</source>
        <translation>отмена изменения цены</translation>
    </message>
</context>
<context>
    <name>ShopPage</name>
    <message>
        <source>The shop</source>
        <extracomment>Offered first in the currency list; every other ISO currency follows. The largest logo file the page reads (the service refuses larger with a message). Emitted after a save went through (the guided start waits on it). The window&apos;s language (weekday, language and currency names are written in it). The draft being saved (its own change coming back is not someone else&apos;s).</extracomment>
        <translation>Салон</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Tax number</source>
        <translation>ИНН</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Валюта</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Type part of a city&apos;s name to find its time zone.</source>
        <translation>Начните вводить название города, чтобы найти его часовой пояс.</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Часовой пояс</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>Часы работы</translation>
    </message>
    <message>
        <source>Like 09:00-13:00, 14:00-18:00. Leave a day empty when the shop is closed.</source>
        <translation>Например: 09:00-13:00, 14:00-18:00. Если в этот день салон не работает, оставьте поле пустым.</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Выходной</translation>
    </message>
    <message>
        <source>Closed days</source>
        <translation>Нерабочие дни</translation>
    </message>
    <message>
        <source>Why, e.g. New Year</source>
        <translation>Причина, например: Новый год</translation>
    </message>
    <message>
        <source>Add day</source>
        <translation>Добавить день</translation>
    </message>
    <message>
        <source>Remove day</source>
        <translation>Удалить день</translation>
    </message>
    <message>
        <source>Removes the chosen day (Delete)</source>
        <translation>Удаляет выбранный день (Delete)</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Дни</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Чеки</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Шапка</translation>
    </message>
    <message>
        <source>Footer</source>
        <translation>Подпись внизу</translation>
    </message>
    <message>
        <source>Choose logo…</source>
        <translation>Выбрать логотип…</translation>
    </message>
    <message>
        <source>Remove logo</source>
        <translation>Удалить логотип</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>Логотип</translation>
    </message>
    <message>
        <source>Tax and rounding</source>
        <translation>Налог и округление</translation>
    </message>
    <message>
        <source>Default tax rate (%)</source>
        <translation>Ставка налога по умолчанию (%)</translation>
    </message>
    <message>
        <source>No rounding</source>
        <translation>Без округления</translation>
    </message>
    <message>
        <source>Round totals to</source>
        <translation>Округлять сумму до</translation>
    </message>
    <message>
        <source>Nearest (halves up)</source>
        <translation>До ближайшего (половина — вверх)</translation>
    </message>
    <message>
        <source>Nearest (halves to even)</source>
        <translation>До ближайшего (половина — к чётному)</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Вниз</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Вверх</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>Округление</translation>
    </message>
    <message>
        <source>Round cash payments only</source>
        <translation>Округлять только оплату наличными</translation>
    </message>
    <message>
        <source>Cancellations</source>
        <translation>Отмены</translation>
    </message>
    <message>
        <source>A cancellation this close to the start counts as late on the client&apos;s card (0: none counts as late).</source>
        <translation>Отмена так близко к началу записывается в карточку клиента как поздняя (0 — поздних отмен нет).</translation>
    </message>
    <message>
        <source>Late if cancelled within (hours)</source>
        <translation>Поздняя отмена, если менее чем за (часов)</translation>
    </message>
    <message>
        <source>Only the owner can change the shop&apos;s details.</source>
        <translation>Изменять данные салона может только владелец.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>reading the shop&apos;s details</source>
        <translation>чтение данных салона</translation>
    </message>
    <message>
        <source>The shop&apos;s details were changed elsewhere. Saving keeps what is on this page.</source>
        <translation>Данные салона изменили в другом месте. При сохранении останется то, что на этой странице.</translation>
    </message>
    <message>
        <source>That day is already in the list.</source>
        <translation>Этот день уже есть в списке.</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>Логотипа нет</translation>
    </message>
    <message>
        <source>Choose a logo</source>
        <translation>Выберите логотип</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation>Изображения (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>That file cannot be read.</source>
        <translation>Не удаётся прочитать этот файл.</translation>
    </message>
    <message>
        <source>preparing the logo</source>
        <translation>подготовка логотипа</translation>
    </message>
    <message>
        <source>saving the shop&apos;s details</source>
        <translation>сохранение данных салона</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Клавиши</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>Что делают</translation>
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
    <name>StaffPage</name>
    <message>
        <source>Find a person</source>
        <translation>Найти сотрудника</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>Новый сотрудник</translation>
    </message>
    <message>
        <source>Nobody is set up yet. Add each person who works here with New person (Ctrl+N).</source>
        <translation>Сотрудников пока нет. Добавьте каждого, кто здесь работает, кнопкой «Новый сотрудник» (Ctrl+N).</translation>
    </message>
    <message>
        <source>Choose a person on the left, or add a new one (Ctrl+N).</source>
        <translation>Выберите сотрудника слева или добавьте нового (Ctrl+N).</translation>
    </message>
    <message>
        <source>This person is archived: they cannot sign in and are not in the calendar.</source>
        <translation>Сотрудник в архиве: он не может войти в программу и не показан в календаре.</translation>
    </message>
    <message>
        <source>no PIN yet</source>
        <translation>PIN-кода ещё нет</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Роль</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Выбрать…</translation>
    </message>
    <message>
        <source>The colour of this person&apos;s column in the calendar</source>
        <translation>Цвет столбца сотрудника в календаре</translation>
    </message>
    <message>
        <source>Calendar colour</source>
        <translation>Цвет в календаре</translation>
    </message>
    <message>
        <source>Set PIN…</source>
        <translation>Задать PIN-код…</translation>
    </message>
    <message>
        <source>Let this person type a new PIN, twice (Ctrl+P)</source>
        <translation>Сотрудник дважды вводит новый PIN-код (Ctrl+P)</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN-код</translation>
    </message>
    <message>
        <source>Weekly hours</source>
        <translation>Рабочие часы по дням недели</translation>
    </message>
    <message>
        <source>Services they do</source>
        <translation>Какие услуги выполняет</translation>
    </message>
    <message>
        <source>Commission</source>
        <translation>Комиссия</translation>
    </message>
    <message>
        <source>Days away</source>
        <translation>Отсутствие</translation>
    </message>
    <message>
        <source>opening a person</source>
        <translation>открытие карточки сотрудника</translation>
    </message>
    <message>
        <source>Save the person first, then set their PIN.</source>
        <translation>Сначала сохраните сотрудника, затем задайте PIN-код.</translation>
    </message>
    <message>
        <source>A PIN is set.</source>
        <translation>PIN-код задан.</translation>
    </message>
    <message>
        <source>No PIN yet: they cannot sign in until one is set.</source>
        <translation>PIN-кода ещё нет: пока он не задан, сотрудник не может войти.</translation>
    </message>
    <message>
        <source>Change PIN…</source>
        <translation>Сменить PIN-код…</translation>
    </message>
    <message>
        <source>{date} {time}: {client}, {service}</source>
        <translation>{date} {time}: {client}, {service}</translation>
    </message>
</context>
<context>
    <name>StatusActions</name>
    <message>
        <source>Confirmed by the client</source>
        <extracomment>Keys for each step, the same in the context menu, the calendar and the room board (Ctrl+Shift+F is the calendar&apos;s &quot;Find free slot&quot;, so finishing is D for &quot;done&quot;; Delete cancels, after asking why). Who may take each step (the service checks again). The order the steps appear in a menu: forward first, then the exits.</extracomment>
        <translation>Клиент подтвердил</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>Клиент пришёл</translation>
    </message>
    <message>
        <source>Start service</source>
        <translation>Начать процедуру</translation>
    </message>
    <message>
        <source>Finish service</source>
        <translation>Завершить процедуру</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>Неявка</translation>
    </message>
    <message>
        <source>Cancel appointment…</source>
        <translation>Отменить запись…</translation>
    </message>
    <message>
        <source>changing the appointment&apos;s status</source>
        <translation>изменение статуса записи</translation>
    </message>
    <message>
        <source>{action} ({keys})</source>
        <translation>{action} ({keys})</translation>
    </message>
</context>
<context>
    <name>StockBox</name>
    <message>
        <source>Stock on hand</source>
        <extracomment>The reasons offered, in the order a shop meets them. Emitted with the product&apos;s fresh detail after a change was recorded.</extracomment>
        <translation>Остаток на складе</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>Сколько</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <source>Record the change</source>
        <translation>Записать изменение</translation>
    </message>
    <message>
        <source>Change the stock on hand and add a line to the history ({keys})</source>
        <translation>Изменить остаток и добавить строку в историю ({keys})</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Изменение</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>Остаток</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Кто</translation>
    </message>
    <message>
        <source>No stock changes yet.</source>
        <translation>Изменений остатка пока не было.</translation>
    </message>
    <message>
        <source>History (newest first)</source>
        <translation>История (сначала новые)</translation>
    </message>
    <message>
        <source>Items received</source>
        <translation>Получено, шт.</translation>
    </message>
    <message>
        <source>Counted on hand</source>
        <translation>Насчитано, шт.</translation>
    </message>
    <message>
        <source>Items removed</source>
        <translation>Списано, шт.</translation>
    </message>
    <message>
        <source>Items returned</source>
        <translation>Возвращено, шт.</translation>
    </message>
    <message>
        <source>Change (minus removes)</source>
        <translation>Изменение (минус — уменьшить)</translation>
    </message>
    <message numerus="yes">
        <source>On hand: %n</source>
        <translation>
            <numerusform>Остаток: %n</numerusform>
            <numerusform>Остаток: %n</numerusform>
            <numerusform>Остаток: %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Running low (at %n or fewer)</source>
        <translation>
            <numerusform>Заканчивается (порог — %n шт.)</numerusform>
            <numerusform>Заканчивается (порог — %n шт.)</numerusform>
            <numerusform>Заканчивается (порог — %n шт.)</numerusform>
        </translation>
    </message>
    <message>
        <source>changing the stock</source>
        <translation>изменение остатка</translation>
    </message>
    <message numerus="yes">
        <source>Recorded. On hand now: %n.</source>
        <translation>
            <numerusform>Записано. Остаток теперь: %n.</numerusform>
            <numerusform>Записано. Остаток теперь: %n.</numerusform>
            <numerusform>Записано. Остаток теперь: %n.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TimeGrid</name>
    <message>
        <source>First visit</source>
        <translation>Первый визит</translation>
    </message>
    <message>
        <source>Has notes: see the client card</source>
        <translation>Есть заметки: см. карточку клиента</translation>
    </message>
    <message>
        <source>Cancelled late</source>
        <translation>Поздняя отмена</translation>
    </message>
    <message>
        <source>Has allergies: check the client card</source>
        <translation>Есть аллергии: проверьте карточку клиента</translation>
    </message>
    <message numerus="yes">
        <source>Cleanup: %n minute(s)</source>
        <extracomment>Text the block font draws by itself, no fallback font needed (Latin, the spaces and dashes times are written with, the status dot, the ellipsis): its line height is the font&apos;s. (GridColumn, starts: datetime, minutes: int) -- free time chosen by dragging or Enter. (AppointmentView, starts: datetime, GridColumn) -- a block dropped or moved by keyboard. (AppointmentView, ends: datetime) (AppointmentView) -- double-click or Enter on a block. (AppointmentView, QPoint global) -- right click on a block. Whether blocks may be moved and free time booked (the area sets it from permissions). Cancelled appointments shown (faded) too; hidden by default (their time is free). The time now, in the shop&apos;s zone (the area gives the shop&apos;s clock).</extracomment>
        <translation>
            <numerusform>Уборка: %n минута</numerusform>
            <numerusform>Уборка: %n минуты</numerusform>
            <numerusform>Уборка: %n минут</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n place(s)</source>
        <extracomment>A row (one step) is this tall at zoom 1. Pixels from a block&apos;s bottom edge that grab it for resizing.</extracomment>
        <translation>
            <numerusform>%n место</numerusform>
            <numerusform>%n места</numerusform>
            <numerusform>%n мест</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UpcomingSection</name>
    <message>
        <source>No upcoming appointments</source>
        <translation>Предстоящих записей нет</translation>
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
</context>
<context>
    <name>WaitlistDialog</name>
    <message>
        <source>Add to the waitlist</source>
        <extracomment>A new entry waits two weeks unless the desk says otherwise.</extracomment>
        <translation>Добавить в лист ожидания</translation>
    </message>
    <message>
        <source>Type a name, phone or card number</source>
        <translation>Введите имя, телефон или номер карты</translation>
    </message>
    <message>
        <source>None ticked: any day</source>
        <translation>Ничего не отмечено — любой день</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
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
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <source>To</source>
        <translation>По</translation>
    </message>
    <message>
        <source>Start between</source>
        <translation>Начало между</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Дни</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Put the client on the waitlist (Ctrl+Enter)</source>
        <translation>Добавить клиента в лист ожидания (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>loading services and therapists</source>
        <translation>загрузка услуг и мастеров</translation>
    </message>
    <message>
        <source>Anyone</source>
        <translation>Любой мастер</translation>
    </message>
    <message>
        <source>searching clients</source>
        <translation>поиск клиентов</translation>
    </message>
    <message>
        <source>adding to the waitlist</source>
        <translation>добавление в лист ожидания</translation>
    </message>
</context>
<context>
    <name>WaitlistPanel</name>
    <message>
        <source>Waitlist</source>
        <extracomment>What the waitlist shows: the entries, the free time (appointments, hours, rooms), names.</extracomment>
        <translation>Лист ожидания</translation>
    </message>
    <message>
        <source>Who is waiting (Delete removes, Enter books)</source>
        <translation>Кто ждёт (Delete — убрать, Enter — записать)</translation>
    </message>
    <message>
        <source>Free slots for the selected client:</source>
        <translation>Свободное время для выбранного клиента:</translation>
    </message>
    <message>
        <source>No one is waiting. Add a client who wants a time that is full.</source>
        <translation>Никто не ждёт. Добавьте клиента, которому нужно занятое время.</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Добавить…</translation>
    </message>
    <message>
        <source>Put a client on the waitlist (Ctrl+Shift+W)</source>
        <translation>Добавить клиента в лист ожидания (Ctrl+Shift+W)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
    <message>
        <source>Take the selected client off the list (Delete)</source>
        <translation>Убрать выбранного клиента из листа (Delete)</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>Записать</translation>
    </message>
    <message>
        <source>Book the selected free slot (Enter)</source>
        <translation>Записать на выбранное свободное время (Enter)</translation>
    </message>
    <message>
        <source>loading the waitlist</source>
        <translation>загрузка листа ожидания</translation>
    </message>
    <message numerus="yes">
        <source>A slot is free for %n waiting</source>
        <translation>
            <numerusform>Есть свободное время для %n ожидающего</numerusform>
            <numerusform>Есть свободное время для %n ожидающих</numerusform>
            <numerusform>Есть свободное время для %n ожидающих</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n в листе ожидания</numerusform>
            <numerusform>%n в листе ожидания</numerusform>
            <numerusform>%n в листе ожидания</numerusform>
        </translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>любой</translation>
    </message>
    <message>
        <source>{client} · {service} · with {therapist}</source>
        <translation>{client} · {service} · мастер: {therapist}</translation>
    </message>
    <message>
        <source>A slot is free: {when} with {therapist}</source>
        <translation>Есть время: {when}, мастер {therapist}</translation>
    </message>
    <message>
        <source>{when} with {therapist}</source>
        <translation>{when}, мастер {therapist}</translation>
    </message>
    <message>
        <source>Remove from the waitlist</source>
        <translation>Убрать из листа ожидания</translation>
    </message>
    <message>
        <source>Take {client} off the waitlist?</source>
        <translation>Убрать из листа ожидания: {client}?</translation>
    </message>
    <message>
        <source>removing from the waitlist</source>
        <translation>удаление из листа ожидания</translation>
    </message>
    <message>
        <source>closing the waitlist entry</source>
        <translation>закрытие записи в листе ожидания</translation>
    </message>
</context>
<context>
    <name>WalkInClient</name>
    <message>
        <source>Optional: the client earns points and is safety-checked</source>
        <translation>Необязательно: клиент получит баллы, а товары будут проверены на аллергии</translation>
    </message>
    <message>
        <source>Who buys; Delete takes them off</source>
        <translation>Покупатель; Delete — убрать</translation>
    </message>
    <message>
        <source>Client (optional)</source>
        <translation>Клиент (необязательно)</translation>
    </message>
</context>
<context>
    <name>WeekEditor</name>
    <message>
        <source>Working hours</source>
        <translation>Рабочие часы</translation>
    </message>
    <message>
        <source>Breaks</source>
        <translation>Перерывы</translation>
    </message>
    <message>
        <source>e.g. 09:00-13:00, 14:00-18:00</source>
        <translation>напр. 09:00-13:00, 14:00-18:00</translation>
    </message>
    <message>
        <source>e.g. 13:00-14:00</source>
        <translation>напр. 13:00-14:00</translation>
    </message>
</context>
<context>
    <name>_CategoriesPanel</name>
    <message>
        <source>Categories</source>
        <translation>Категории</translation>
    </message>
    <message>
        <source>Category name</source>
        <translation>Название категории</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Add a category with this name</source>
        <translation>Добавить категорию с этим названием</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Переименовать</translation>
    </message>
    <message>
        <source>Give the chosen category this name</source>
        <translation>Дать выбранной категории это название</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>Выше</translation>
    </message>
    <message>
        <source>Show the chosen category earlier (Alt+Up)</source>
        <translation>Показывать выбранную категорию раньше (Alt+Up)</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>Ниже</translation>
    </message>
    <message>
        <source>Show the chosen category later (Alt+Down)</source>
        <translation>Показывать выбранную категорию позже (Alt+Down)</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>Цвет…</translation>
    </message>
    <message>
        <source>The colour the calendar shows the chosen category&apos;s appointments in</source>
        <translation>Цвет, которым календарь показывает записи выбранной категории</translation>
    </message>
    <message>
        <source>Archive</source>
        <extracomment>The colour dialog while it is open.</extracomment>
        <translation>В архив</translation>
    </message>
    <message>
        <source>Archive the chosen category (it must be empty)</source>
        <translation>Отправить выбранную категорию в архив (в ней не должно быть услуг)</translation>
    </message>
    <message>
        <source>changing the categories</source>
        <translation>изменение категорий</translation>
    </message>
    <message>
        <source>Colour of “{name}”</source>
        <translation>Цвет категории «{name}»</translation>
    </message>
</context>
<context>
    <name>_EquipmentList</name>
    <message>
        <source>No equipment yet: add it under Rooms and equipment.</source>
        <translation>Оборудования пока нет: добавьте его в разделе «Кабинеты и оборудование».</translation>
    </message>
    <message>
        <source> of {total}</source>
        <translation> из {total}</translation>
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
        <source>import or export the price list</source>
        <translation>импорт и выгрузка прайс-листа</translation>
    </message>
    <message>
        <source>Import or export the price list of services and products as CSV.</source>
        <translation>Импорт и выгрузка прайс-листа услуг и товаров в формате CSV.</translation>
    </message>
    <message>
        <source>add and update services and products from a CSV file</source>
        <translation>добавить и обновить услуги и товары из CSV-файла</translation>
    </message>
    <message>
        <source>Read a price list of services and products from a CSV file (UTF-8, GB18030 or Windows-1251) and add or update them, all or nothing: services are matched by category and name, products by SKU, so importing again updates instead of duplicating. Exit codes: 0 imported (or, with --dry-run, nothing wrong), 1 the file or a row has errors (nothing is saved), 2 wrong arguments.</source>
        <translation>Читает прайс-лист услуг и товаров из CSV-файла (UTF-8, GB18030 или Windows-1251) и добавляет или обновляет их — либо всё, либо ничего: услуги сопоставляются по категории и названию, товары — по артикулу, поэтому повторный импорт обновляет записи, а не дублирует их. Коды выхода: 0 — импортировано (с --dry-run — ошибок нет), 1 — в файле или строке есть ошибки (ничего не сохранено), 2 — неверные аргументы.</translation>
    </message>
    <message>
        <source>the price list to read</source>
        <translation>прайс-лист, который нужно прочитать</translation>
    </message>
    <message>
        <source>the file&apos;s text encoding (default: detected)</source>
        <translation>кодировка текста файла (по умолчанию определяется автоматически)</translation>
    </message>
    <message>
        <source>check the file and say what would change, saving nothing</source>
        <translation>проверить файл и показать, что изменится, ничего не сохраняя</translation>
    </message>
    <message>
        <source>write the services and products to a CSV file</source>
        <translation>записать услуги и товары в CSV-файл</translation>
    </message>
    <message>
        <source>Write every active service (at today&apos;s price) and product to a CSV file in UTF-8 that spreadsheets open directly and that `frontdesk catalogue import` reads back.</source>
        <translation>Записывает все действующие услуги (по сегодняшней цене) и товары в CSV-файл в UTF-8, который сразу открывается в электронных таблицах и читается обратно командой `frontdesk catalogue import`.</translation>
    </message>
    <message>
        <source>where to write the price list</source>
        <translation>куда записать прайс-лист</translation>
    </message>
    <message>
        <source>replace --out if it exists</source>
        <translation>заменить --out, если файл уже есть</translation>
    </message>
    <message>
        <source>import, export or erase clients</source>
        <translation>импорт, экспорт или удаление клиентов</translation>
    </message>
    <message>
        <source>Move clients in and out: import them from another system&apos;s CSV file, export them all as CSV, write one client&apos;s data as JSON (their right of access), or erase a client (personal data removed, sales kept under a pseudonym).</source>
        <translation>Перенос клиентов: импорт из CSV-файла другой программы, экспорт всех клиентов в CSV, данные одного клиента в JSON (право на доступ к своим данным) или удаление клиента (личные данные удаляются, продажи остаются под псевдонимом).</translation>
    </message>
    <message>
        <source>add and update clients from a CSV file</source>
        <translation>добавить и обновить клиентов из CSV-файла</translation>
    </message>
    <message>
        <source>Read clients (names, phones, e-mails, birthdays, card numbers, past visits, allergies, preferences, notes) from a CSV file in UTF-8, GB18030 or Windows-1251 and add or update them, all or nothing: a client is matched by card number, then phone, then e-mail, so importing again updates instead of duplicating. Exit codes: 0 imported (or, with --dry-run, nothing wrong), 1 the file or a row has errors (nothing is saved), 2 wrong arguments.</source>
        <translation>Прочитать клиентов (имена, телефоны, почту, дни рождения, номера карт, прошлые визиты, аллергии, предпочтения, заметки) из CSV-файла в UTF-8, GB18030 или Windows-1251 и добавить или обновить их — всё или ничего: клиент ищется по номеру карты, затем по телефону, затем по почте, поэтому повторный импорт обновляет, а не дублирует. Коды выхода: 0 — импортировано (или, с --dry-run, ошибок нет), 1 — в файле или строке ошибки (ничего не сохранено), 2 — неверные аргументы.</translation>
    </message>
    <message>
        <source>the client list to read</source>
        <translation>список клиентов для чтения</translation>
    </message>
    <message>
        <source>write every client to a CSV file</source>
        <translation>записать всех клиентов в CSV-файл</translation>
    </message>
    <message>
        <source>Write every client to a CSV file in UTF-8 that spreadsheets open directly and that `frontdesk clients import` reads back. Health data is not written.</source>
        <translation>Записать всех клиентов в CSV-файл в UTF-8, который сразу открывается в таблицах и читается обратно командой `frontdesk clients import`. Данные о здоровье не записываются.</translation>
    </message>
    <message>
        <source>write all of one client&apos;s data to a JSON file</source>
        <translation>записать все данные одного клиента в JSON-файл</translation>
    </message>
    <message>
        <source>Write everything kept about one client (contact, consents, preferences, health data, treatment notes, visits, sales, points) to a JSON file: the client&apos;s right of access. CLIENT is a card number or a client number.</source>
        <translation>Записать всё, что хранится об одном клиенте (контакты, согласия, предпочтения, данные о здоровье, заметки мастеров, визиты, продажи, баллы), в JSON-файл — право клиента на доступ к своим данным. CLIENT — номер карты или номер клиента.</translation>
    </message>
    <message>
        <source>card number or client number</source>
        <translation>номер карты или номер клиента</translation>
    </message>
    <message>
        <source>where to write the clients</source>
        <translation>куда записать клиентов</translation>
    </message>
    <message>
        <source>where to write the client&apos;s data</source>
        <translation>куда записать данные клиента</translation>
    </message>
    <message>
        <source>erase a client&apos;s personal data</source>
        <translation>удалить личные данные клиента</translation>
    </message>
    <message>
        <source>Erase a client at their request: name, phone, e-mail, birthday, card, photo, preferences, tags, health data and notes are removed; sales and visits stay under a pseudonym. Cannot be undone. CLIENT is a card number or a client number.</source>
        <translation>Удалить клиента по его просьбе: имя, телефон, почта, день рождения, карта, фото, предпочтения, метки, данные о здоровье и заметки удаляются; продажи и визиты остаются под псевдонимом. Отменить нельзя. CLIENT — номер карты или номер клиента.</translation>
    </message>
    <message>
        <source>erase without asking to confirm</source>
        <translation>удалить без подтверждения</translation>
    </message>
    <message>
        <source>export or restore the health data key</source>
        <translation>экспорт или восстановление ключа медицинских данных</translation>
    </message>
    <message>
        <source>Export the key that seals this shop&apos;s health data (allergies, patch tests, treatment notes) to keep it safe, or restore it on another computer. Owner&apos;s work: whoever holds the key can read the health data in a copy of the database.</source>
        <translation>Экспортировать ключ, которым зашифрованы медицинские данные салона (аллергии, пробы, записи о процедурах), чтобы сохранить его, или восстановить его на другом компьютере. Только для владельца: у кого ключ, тот может прочитать медицинские данные в копии базы.</translation>
    </message>
    <message>
        <source>write the health data key to a file (and a PDF to print)</source>
        <translation>записать ключ медицинских данных в файл (и PDF для печати)</translation>
    </message>
    <message>
        <source>Write the health data key as text to FILE (readable by its owner only) and, with --pdf, as a one-page PDF with a QR code to print and lock away.</source>
        <translation>Записать ключ медицинских данных текстом в FILE (доступен только владельцу файла), а с --pdf — ещё и одностраничный PDF с QR-кодом, чтобы распечатать и хранить под замком.</translation>
    </message>
    <message>
        <source>the key file</source>
        <translation>файл ключа</translation>
    </message>
    <message>
        <source>also write a page to print</source>
        <translation>также записать страницу для печати</translation>
    </message>
    <message>
        <source>replace files that exist</source>
        <translation>заменить существующие файлы</translation>
    </message>
    <message>
        <source>restore the health data key from a file</source>
        <translation>восстановить ключ медицинских данных из файла</translation>
    </message>
    <message>
        <source>Restore the health data key from FILE (a key file, or the text typed from the printed page; - reads it from the keyboard). Refused if the key does not open this database&apos;s health data. Exit codes: 0 restored, 1 refused.</source>
        <translation>Восстановить ключ медицинских данных из FILE (файл ключа или текст, набранный с распечатки; - читает с клавиатуры). Ключ, который не открывает медицинские данные этой базы, не принимается. Коды выхода: 0 — восстановлен, 1 — отказ.</translation>
    </message>
    <message>
        <source>the key file, or - to type the key</source>
        <translation>файл ключа или -, чтобы ввести ключ</translation>
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
        <source>cannot read a key from {file}.</source>
        <translation>не удаётся прочитать ключ из {file}.</translation>
    </message>
    <message>
        <source>Health data key restored: health data can be read here.</source>
        <translation>Ключ медицинских данных восстановлен: данные на этом компьютере доступны.</translation>
    </message>
    <message>
        <source>No keyring on this computer: the key is kept in a file readable only by this user.</source>
        <translation>На этом компьютере нет хранилища паролей: ключ хранится в файле, доступном только этому пользователю.</translation>
    </message>
    <message>
        <source>Health data key written to {out}</source>
        <translation>Ключ медицинских данных записан в {out}</translation>
    </message>
    <message>
        <source>Page to print written to {out}</source>
        <translation>Страница для печати записана в {out}</translation>
    </message>
    <message>
        <source>Whoever holds this key can read the clients&apos; health data in a copy of the database: keep it away from the backups.</source>
        <translation>У кого этот ключ, тот может прочитать медицинские данные клиентов в копии базы: храните его отдельно от резервных копий.</translation>
    </message>
    <message>
        <source>Health data key</source>
        <translation>Ключ медицинских данных</translation>
    </message>
    <message>
        <source>{shop} · written {day}</source>
        <translation>{shop} · создано {day}</translation>
    </message>
    <message>
        <source>Whoever holds this key can read the clients&apos; health data in a copy of the database. Keep this page locked away, apart from the backups.</source>
        <translation>У кого этот ключ, тот может прочитать медицинские данные клиентов в копии базы. Храните эту страницу под замком, отдельно от резервных копий.</translation>
    </message>
    <message>
        <source>To restore on another computer: Back office, Health data key, Restore key, then paste or type the text below (spaces and line breaks do not matter).</source>
        <translation>Чтобы восстановить на другом компьютере: Управление → Ключ медицинских данных → Восстановить ключ, затем вставьте или введите текст ниже (пробелы и переносы строк не важны).</translation>
    </message>
    <message>
        <source>Or on the command line: save the text in a file and run: frontdesk key import FILE</source>
        <translation>Или в командной строке: сохраните текст в файл и выполните: frontdesk key import FILE</translation>
    </message>
    <message>
        <source>{out} is a folder; give the price list a file name.</source>
        <translation>{out} — это папка; укажите имя файла для прайс-листа.</translation>
    </message>
    <message>
        <source>{out} already exists; add --force to replace it.</source>
        <translation>{out} уже существует; чтобы заменить его, добавьте --force.</translation>
    </message>
    <message>
        <source>{file} is not a file.</source>
        <translation>{file} — не файл.</translation>
    </message>
    <message>
        <source>Price list written to {out}</source>
        <translation>Прайс-лист записан в {out}</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>The file reads without errors ({encoding}): {summary}. Nothing was saved (--dry-run).</source>
        <translation>Файл прочитан без ошибок ({encoding}): {summary}. Ничего не сохранено (--dry-run).</translation>
    </message>
    <message>
        <source>Imported: {summary}.</source>
        <translation>Импортировано: {summary}.</translation>
    </message>
    <message>
        <source>{out} is a folder; give the file a name.</source>
        <translation>{out} — это папка; укажите имя файла.</translation>
    </message>
    <message>
        <source>Clients written to {out}</source>
        <translation>Клиенты записаны в {out}</translation>
    </message>
    <message>
        <source>The client&apos;s data written to {out}</source>
        <translation>Данные клиента записаны в {out}</translation>
    </message>
    <message>
        <source>Erase client {client}? This cannot be undone. Type yes to go on: </source>
        <translation>Удалить клиента {client}? Отменить это нельзя. Чтобы продолжить, введите да: </translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>Nothing was erased.</source>
        <translation>Ничего не удалено.</translation>
    </message>
    <message>
        <source>Client {client} erased.</source>
        <translation>Клиент {client} удалён.</translation>
    </message>
    <message>
        <source>The file reads without errors ({encoding}): {added}, {updated}. Nothing was saved (--dry-run).</source>
        <translation>Файл читается без ошибок ({encoding}): {added}, {updated}. Ничего не сохранено (--dry-run).</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) to add</source>
        <translation>
            <numerusform>будет добавлен %n клиент</numerusform>
            <numerusform>будут добавлены %n клиента</numerusform>
            <numerusform>будут добавлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) to update</source>
        <translation>
            <numerusform>будет обновлён %n клиент</numerusform>
            <numerusform>будут обновлены %n клиента</numerusform>
            <numerusform>будут обновлены %n клиентов</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported ({encoding}): {added}, {updated}.</source>
        <translation>Импортировано ({encoding}): {added}, {updated}.</translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) added</source>
        <translation>
            <numerusform>добавлен %n клиент</numerusform>
            <numerusform>добавлены %n клиента</numerusform>
            <numerusform>добавлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s) updated</source>
        <translation>
            <numerusform>обновлён %n клиент</numerusform>
            <numerusform>обновлены %n клиента</numerusform>
            <numerusform>обновлены %n клиентов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) added</source>
        <translation>
            <numerusform>добавлена %n услуга</numerusform>
            <numerusform>добавлены %n услуги</numerusform>
            <numerusform>добавлено %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s) updated</source>
        <translation>
            <numerusform>обновлена %n услуга</numerusform>
            <numerusform>обновлены %n услуги</numerusform>
            <numerusform>обновлено %n услуг</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) added</source>
        <translation>
            <numerusform>добавлен %n товар</numerusform>
            <numerusform>добавлены %n товара</numerusform>
            <numerusform>добавлено %n товаров</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s) updated</source>
        <translation>
            <numerusform>обновлён %n товар</numerusform>
            <numerusform>обновлены %n товара</numerusform>
            <numerusform>обновлено %n товаров</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unchanged</source>
        <translation>
            <numerusform>%n без изменений</numerusform>
            <numerusform>%n без изменений</numerusform>
            <numerusform>%n без изменений</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing to change</source>
        <translation>изменять нечего</translation>
    </message>
    <message>
        <source>The file</source>
        <translation>Файл</translation>
    </message>
    <message>
        <source>Line {line}, column “{column}”</source>
        <translation>Строка {line}, столбец «{column}»</translation>
    </message>
    <message>
        <source>Line {line}</source>
        <translation>Строка {line}</translation>
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
        <source>A break must lie inside the working hours.</source>
        <translation>Перерыв должен быть внутри рабочих часов.</translation>
    </message>
    <message>
        <source>A break needs working hours on its day.</source>
        <translation>Перерыв возможен только в рабочий день: задайте рабочие часы.</translation>
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
        <source>A chosen service no longer exists. Reopen the form.</source>
        <translation>Одна из выбранных услуг больше не существует. Откройте форму заново.</translation>
    </message>
    <message>
        <source>A closing time must be after its opening time.</source>
        <translation>Время закрытия должно быть позже времени открытия.</translation>
    </message>
    <message>
        <source>A commission cannot be negative.</source>
        <translation>Комиссия не может быть отрицательной.</translation>
    </message>
    <message>
        <source>A commission cannot be over 100 %.</source>
        <translation>Комиссия не может быть больше 100 %.</translation>
    </message>
    <message>
        <source>A day is listed twice.</source>
        <translation>Один и тот же день указан дважды.</translation>
    </message>
    <message>
        <source>A delivery or a return adds items: enter a positive number.</source>
        <translation>Поставка или возврат увеличивают остаток: введите положительное число.</translation>
    </message>
    <message>
        <source>A network name or IP address has no spaces.</source>
        <translation>В сетевом имени или IP-адресе не бывает пробелов.</translation>
    </message>
    <message>
        <source>A port name has no spaces, e.g. /dev/ttyACM0 or COM4.</source>
        <translation>В имени порта не бывает пробелов, например /dev/ttyACM0 или COM4.</translation>
    </message>
    <message>
        <source>A price cannot be negative.</source>
        <translation>Цена не может быть отрицательной.</translation>
    </message>
    <message>
        <source>A price change starts today or later: past sales keep their price.</source>
        <translation>Новая цена действует с сегодняшнего дня или позже: прошлые продажи сохраняют свою цену.</translation>
    </message>
    <message>
        <source>A price change that has started cannot be cancelled.</source>
        <translation>Изменение цены, которое уже вступило в силу, отменить нельзя.</translation>
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
        <source>A room holds at least 1 person.</source>
        <translation>В кабинете должно помещаться не меньше 1 человека.</translation>
    </message>
    <message>
        <source>A room holds at most {most} people.</source>
        <translation>В кабинете может быть не больше {most} человек.</translation>
    </message>
    <message>
        <source>A sale needs at least one line.</source>
        <translation>В продаже должна быть хотя бы одна позиция.</translation>
    </message>
    <message>
        <source>A service category no longer exists. Reopen the form.</source>
        <translation>Одной из категорий услуг больше нет. Откройте форму заново.</translation>
    </message>
    <message>
        <source>A service lasts from 1 to {max_minutes} minutes.</source>
        <translation>Услуга длится от 1 до {max_minutes} минут.</translation>
    </message>
    <message>
        <source>A service uses from 1 to {max_places} places.</source>
        <translation>Услуга занимает от 1 до {max_places} мест.</translation>
    </message>
    <message>
        <source>A value is too long or holds characters the database cannot store. Nothing was saved. (reference {reference})</source>
        <translation>Одно из значений слишком длинное или содержит символы, которые база данных не может сохранить. Ничего не сохранено. (номер {reference})</translation>
    </message>
    <message>
        <source>An absence is at most a year long.</source>
        <translation>Отсутствие может длиться не больше года.</translation>
    </message>
    <message>
        <source>An appointment must end after it starts.</source>
        <translation>Запись должна заканчиваться позже, чем начинается.</translation>
    </message>
    <message>
        <source>An archived room is already called “{other}”: restore it instead.</source>
        <translation>В архиве уже есть кабинет «{other}»: лучше восстановите его.</translation>
    </message>
    <message>
        <source>An archived service in this category is called “{name}”: restore it instead.</source>
        <translation>В этой категории есть архивная услуга «{name}»: восстановите её.</translation>
    </message>
    <message>
        <source>An end time must be after its start time.</source>
        <translation>Время окончания должно быть позже времени начала.</translation>
    </message>
    <message>
        <source>Another client already has that card.</source>
        <translation>Эта карта уже выдана другому клиенту.</translation>
    </message>
    <message>
        <source>Another product already has barcode {barcode}.</source>
        <translation>Штрихкод {barcode} уже есть у другого товара.</translation>
    </message>
    <message>
        <source>Another room is already called “{other}”.</source>
        <translation>Кабинет «{other}» уже есть.</translation>
    </message>
    <message numerus="yes">
        <source>Appointments to come are booked in {name} (%n). Move them to another room first.</source>
        <translation>
            <numerusform>В кабинет «{name}» есть будущие записи (%n). Сначала перенесите их в другой кабинет.</numerusform>
            <numerusform>В кабинет «{name}» есть будущие записи (%n). Сначала перенесите их в другой кабинет.</numerusform>
            <numerusform>В кабинет «{name}» есть будущие записи (%n). Сначала перенесите их в другой кабинет.</numerusform>
        </translation>
    </message>
    <message>
        <source>Archived equipment is already called “{other}”: restore it instead.</source>
        <translation>В архиве уже есть оборудование «{other}»: лучше восстановите его.</translation>
    </message>
    <message>
        <source>At most {count} closed days can be kept.</source>
        <translation>Можно сохранить не более {count} нерабочих дней.</translation>
    </message>
    <message>
        <source>At most {count} tags.</source>
        <translation>Не больше {count} меток.</translation>
    </message>
    <message>
        <source>At most {max_tags} tags.</source>
        <translation>Не более {max_tags} меток.</translation>
    </message>
    <message>
        <source>At most {max} minutes (a day).</source>
        <translation>Не больше {max} минут (сутки).</translation>
    </message>
    <message>
        <source>At most {most} items.</source>
        <translation>Не больше {most} шт.</translation>
    </message>
    <message>
        <source>At most {most} of one kind.</source>
        <translation>Не больше {most} шт. одного вида.</translation>
    </message>
    <message>
        <source>Barcode {barcode} is also on line {other}.</source>
        <translation>Штрихкод {barcode} есть и в строке {other}.</translation>
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
        <source>Choose 58 mm or 80 mm paper.</source>
        <translation>Выберите ленту 58 мм или 80 мм.</translation>
    </message>
    <message>
        <source>Choose a colour.</source>
        <translation>Выберите цвет.</translation>
    </message>
    <message>
        <source>Choose a currency from the list.</source>
        <translation>Выберите валюту из списка.</translation>
    </message>
    <message>
        <source>Choose a date and a time.</source>
        <translation>Выберите дату и время.</translation>
    </message>
    <message>
        <source>Choose a day of the week.</source>
        <translation>Выберите день недели.</translation>
    </message>
    <message>
        <source>Choose a language and country from the list.</source>
        <translation>Выберите язык и страну из списка.</translation>
    </message>
    <message>
        <source>Choose a printer model from the list.</source>
        <translation>Выберите модель принтера из списка.</translation>
    </message>
    <message>
        <source>Choose a role.</source>
        <translation>Выберите роль.</translation>
    </message>
    <message>
        <source>Choose a rounding rule from the list.</source>
        <translation>Выберите способ округления из списка.</translation>
    </message>
    <message>
        <source>Choose a rounding step from the list.</source>
        <translation>Выберите шаг округления из списка.</translation>
    </message>
    <message>
        <source>Choose a time zone from the list.</source>
        <translation>Выберите часовой пояс из списка.</translation>
    </message>
    <message>
        <source>Choose how the receipt printer is connected.</source>
        <translation>Выберите, как подключён чековый принтер.</translation>
    </message>
    <message>
        <source>Choose mild, moderate or severe.</source>
        <translation>Выберите степень: лёгкая, средняя или тяжёлая.</translation>
    </message>
    <message>
        <source>Choose or name a category.</source>
        <translation>Выберите или введите категорию.</translation>
    </message>
    <message>
        <source>Choose why the stock changes.</source>
        <translation>Выберите причину изменения остатка.</translation>
    </message>
    <message>
        <source>Choose why they are away.</source>
        <translation>Укажите причину отсутствия.</translation>
    </message>
    <message>
        <source>Damage removes items: enter a negative number.</source>
        <translation>Списание уменьшает остаток: введите отрицательное число.</translation>
    </message>
    <message>
        <source>Each piece of equipment is needed at least once.</source>
        <translation>Каждого оборудования нужно не меньше одного.</translation>
    </message>
    <message>
        <source>Enter a count as the number counted.</source>
        <translation>Для пересчёта введите насчитанное количество.</translation>
    </message>
    <message>
        <source>Enter a name.</source>
        <translation>Введите название.</translation>
    </message>
    <message>
        <source>Enter a price.</source>
        <translation>Введите цену.</translation>
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
        <source>Enter at least 1 minute.</source>
        <translation>Введите не меньше 1 минуты.</translation>
    </message>
    <message>
        <source>Enter at least {least}.</source>
        <translation>Введите число не меньше {least}.</translation>
    </message>
    <message>
        <source>Enter how many items to add or remove.</source>
        <translation>Введите, сколько добавить или убрать.</translation>
    </message>
    <message>
        <source>Enter the SKU.</source>
        <translation>Введите артикул.</translation>
    </message>
    <message>
        <source>Enter the client&apos;s first name.</source>
        <translation>Введите имя клиента.</translation>
    </message>
    <message>
        <source>Enter the duration in minutes.</source>
        <translation>Введите длительность в минутах.</translation>
    </message>
    <message>
        <source>Enter the equipment&apos;s name.</source>
        <translation>Введите название оборудования.</translation>
    </message>
    <message>
        <source>Enter the file or device the receipts are written to.</source>
        <translation>Укажите файл или устройство, куда записывать чеки.</translation>
    </message>
    <message>
        <source>Enter the person&apos;s name.</source>
        <translation>Введите имя сотрудника.</translation>
    </message>
    <message>
        <source>Enter the printer&apos;s network name or IP address.</source>
        <translation>Укажите сетевое имя или IP-адрес принтера.</translation>
    </message>
    <message>
        <source>Enter the printer&apos;s serial port, e.g. /dev/ttyUSB0 or COM3.</source>
        <translation>Укажите последовательный порт принтера, например /dev/ttyUSB0 или COM3.</translation>
    </message>
    <message>
        <source>Enter the product&apos;s SKU.</source>
        <translation>Введите артикул товара.</translation>
    </message>
    <message>
        <source>Enter the product&apos;s name.</source>
        <translation>Введите название товара.</translation>
    </message>
    <message>
        <source>Enter the room&apos;s name.</source>
        <translation>Введите название кабинета.</translation>
    </message>
    <message>
        <source>Enter the scanner&apos;s port to test it.</source>
        <translation>Чтобы проверить сканер, укажите его порт.</translation>
    </message>
    <message>
        <source>Enter the service&apos;s name.</source>
        <translation>Введите название услуги.</translation>
    </message>
    <message>
        <source>Enter the shop&apos;s name.</source>
        <translation>Введите название салона.</translation>
    </message>
    <message>
        <source>Health data cannot be read with this computer&apos;s key. Restore the shop&apos;s key (Back office, Health data key).</source>
        <translation>Медицинские данные не читаются ключом этого компьютера. Восстановите ключ салона (Управление → Ключ медицинских данных).</translation>
    </message>
    <message>
        <source>Name the category.</source>
        <translation>Введите название категории.</translation>
    </message>
    <message>
        <source>Name the preference (e.g. pressure).</source>
        <translation>Укажите тему пожелания (например, сила нажатия).</translation>
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
        <source>No such step of the guided start: {step}.</source>
        <translation>В пошаговой настройке нет такого шага: {step}.</translation>
    </message>
    <message numerus="yes">
        <source>Nothing was imported: the file has %n error(s). Correct them and import again.</source>
        <translation>
            <numerusform>Ничего не импортировано: в файле %n ошибка. Исправьте её и импортируйте снова.</numerusform>
            <numerusform>Ничего не импортировано: в файле %n ошибки. Исправьте их и импортируйте снова.</numerusform>
            <numerusform>Ничего не импортировано: в файле %n ошибок. Исправьте их и импортируйте снова.</numerusform>
        </translation>
    </message>
    <message>
        <source>Only an owner may change an owner&apos;s account.</source>
        <translation>Изменять учётную запись владельца может только владелец.</translation>
    </message>
    <message>
        <source>Only {on_hand} on hand: stock cannot go below zero.</source>
        <translation>В наличии только {on_hand}: остаток не может быть меньше нуля.</translation>
    </message>
    <message>
        <source>Opening times are between 00:00 and 24:00.</source>
        <translation>Время работы должно быть в пределах от 00:00 до 24:00.</translation>
    </message>
    <message>
        <source>Other equipment is already called “{other}”.</source>
        <translation>Оборудование «{other}» уже есть.</translation>
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
        <source>SKU {sku} is also on line {other}.</source>
        <translation>Артикул {sku} есть и в строке {other}.</translation>
    </message>
    <message>
        <source>Say what the client prefers.</source>
        <translation>Укажите, что предпочитает клиент.</translation>
    </message>
    <message>
        <source>Say what the correction puts right.</source>
        <translation>Напишите, что исправляет эта поправка.</translation>
    </message>
    <message>
        <source>Services still in this category: {n}. Archive or move them first.</source>
        <translation>В этой категории ещё есть услуги: {n}. Сначала переместите их или отправьте в архив.</translation>
    </message>
    <message>
        <source>Set up the shop first.</source>
        <translation>Сначала заполните данные салона.</translation>
    </message>
    <message>
        <source>Sign in to take payments.</source>
        <translation>Чтобы принимать оплату, войдите в систему.</translation>
    </message>
    <message>
        <source>Some of the chosen equipment no longer exists.</source>
        <translation>Часть выбранного оборудования больше не существует.</translation>
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
        <source>That category no longer exists.</source>
        <translation>Этой категории больше нет.</translation>
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
        <source>That equipment no longer exists.</source>
        <translation>Этого оборудования больше нет.</translation>
    </message>
    <message>
        <source>That file is not a PNG or JPEG picture.</source>
        <translation>Этот файл не является изображением PNG или JPEG.</translation>
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
        <source>That picture is too large for a logo (at most 5 MB and 40 megapixels).</source>
        <translation>Изображение слишком большое для логотипа (не более 5 МБ и 40 мегапикселей).</translation>
    </message>
    <message>
        <source>That price is too large.</source>
        <translation>Слишком большая цена.</translation>
    </message>
    <message>
        <source>That product no longer exists.</source>
        <translation>Этого товара больше нет.</translation>
    </message>
    <message>
        <source>That room no longer exists.</source>
        <translation>Этого кабинета больше нет.</translation>
    </message>
    <message>
        <source>That service is archived or cannot be booked.</source>
        <translation>Эта услуга в архиве или недоступна для записи.</translation>
    </message>
    <message>
        <source>That service no longer exists.</source>
        <translation>Этой услуги больше нет.</translation>
    </message>
    <message>
        <source>That staff member cannot sign in.</source>
        <translation>Этот сотрудник не может войти в систему.</translation>
    </message>
    <message>
        <source>That therapist is archived or no longer exists.</source>
        <translation>Этот мастер в архиве или больше не существует.</translation>
    </message>
    <message>
        <source>That time falls in the therapist&apos;s break.</source>
        <translation>Это время приходится на перерыв мастера.</translation>
    </message>
    <message>
        <source>That time is outside the shop&apos;s opening hours.</source>
        <translation>Это время вне часов работы салона.</translation>
    </message>
    <message>
        <source>That time is outside the therapist&apos;s working hours.</source>
        <translation>Это время вне рабочих часов мастера.</translation>
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
        <source>The archived product “{other}” already has this SKU: restore it instead.</source>
        <translation>Этот артикул уже у товара «{other}» в архиве: лучше восстановите его.</translation>
    </message>
    <message>
        <source>The archived product “{other}” already has this barcode.</source>
        <translation>Этот штрихкод уже у товара «{other}» в архиве.</translation>
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
        <source>The buffer cannot be negative.</source>
        <translation>Перерыв не может быть отрицательным.</translation>
    </message>
    <message>
        <source>The buffer is at most {max_minutes} minutes.</source>
        <translation>Перерыв — не более {max_minutes} минут.</translation>
    </message>
    <message>
        <source>The client is already booked then: {start}-{end} {service}.</source>
        <translation>У клиента в это время уже есть запись: {start}–{end} {service}.</translation>
    </message>
    <message>
        <source>The therapist already has an appointment then: {start}-{end} {service}.</source>
        <translation>У мастера в это время уже есть запись: {start}–{end} {service}.</translation>
    </message>
    <message>
        <source>The connection to the database was lost. Nothing was saved: try again. (reference {reference})</source>
        <translation>Связь с базой данных потеряна. Ничего не сохранено: попробуйте ещё раз. (номер {reference})</translation>
    </message>
    <message>
        <source>A client can be marked as a no-show only after the start time ({start}).</source>
        <translation>Отметить неявку можно только после времени начала ({start}).</translation>
    </message>
    <message>
        <source>A client is in the group twice.</source>
        <translation>Клиент указан в группе дважды.</translation>
    </message>
    <message>
        <source>A finished, cancelled or missed appointment cannot be moved.</source>
        <translation>Завершённую, отменённую или пропущенную запись нельзя перенести.</translation>
    </message>
    <message>
        <source>A patch test cannot be dated in the future.</source>
        <translation>Дата пробы не может быть в будущем.</translation>
    </message>
    <message>
        <source>Add a product to sell.</source>
        <translation>Добавьте товар для продажи.</translation>
    </message>
    <message>
        <source>Allergies are kept only with the client&apos;s consent: add a health consent column saying yes.</source>
        <translation>Аллергии сохраняются только с согласия клиента: добавьте столбец согласия на хранение данных о здоровье со значением «да».</translation>
    </message>
    <message>
        <source>An appointment lasts at least {minutes} minutes.</source>
        <translation>Запись должна длиться не меньше {minutes} мин.</translation>
    </message>
    <message>
        <source>An appointment marked “{current}” cannot be changed to “{wanted}”.</source>
        <translation>Запись со статусом «{current}» нельзя перевести в статус «{wanted}».</translation>
    </message>
    <message>
        <source>An appointment must end on the day it starts.</source>
        <translation>Запись должна закончиться в тот же день, когда началась.</translation>
    </message>
    <message>
        <source>At most {limit} tiers.</source>
        <translation>Не больше {limit} уровней.</translation>
    </message>
    <message>
        <source>Choose a client.</source>
        <translation>Выберите клиента.</translation>
    </message>
    <message>
        <source>Choose a colour such as #8ecae6.</source>
        <translation>Выберите цвет, например #8ecae6.</translation>
    </message>
    <message>
        <source>Choose a service.</source>
        <translation>Выберите услугу.</translation>
    </message>
    <message>
        <source>Choose allergy or contraindication.</source>
        <translation>Выберите: аллергия или противопоказание.</translation>
    </message>
    <message>
        <source>Choose an allergen from the list or type what it is.</source>
        <translation>Выберите аллерген из списка или впишите, что это.</translation>
    </message>
    <message>
        <source>Choose days from Monday to Sunday.</source>
        <translation>Выберите дни с понедельника по воскресенье.</translation>
    </message>
    <message>
        <source>Choose days of the week.</source>
        <translation>Выберите дни недели.</translation>
    </message>
    <message>
        <source>Choose two different clients to merge.</source>
        <translation>Для объединения выберите двух разных клиентов.</translation>
    </message>
    <message>
        <source>Enter a number of points other than zero.</source>
        <translation>Введите количество баллов, отличное от нуля.</translation>
    </message>
    <message>
        <source>Enter a percent between 0 and {limit}.</source>
        <translation>Введите процент от 0 до {limit}.</translation>
    </message>
    <message>
        <source>Enter at most {limit} points at a time.</source>
        <translation>За один раз — не больше {limit} баллов.</translation>
    </message>
    <message>
        <source>Enter between 0 and {limit} points per currency unit.</source>
        <translation>Введите от 0 до {limit} баллов за денежную единицу.</translation>
    </message>
    <message>
        <source>Enter the date of the patch test.</source>
        <translation>Укажите дату пробы на чувствительность.</translation>
    </message>
    <message>
        <source>Enter the tier&apos;s name.</source>
        <translation>Введите название уровня.</translation>
    </message>
    <message>
        <source>Erased client #{id}</source>
        <translation>Удалённый клиент №{id}</translation>
    </message>
    <message>
        <source>Every repeat clashes with something: nothing was booked.</source>
        <translation>Каждый повтор с чем-то пересекается: ничего не записано.</translation>
    </message>
    <message>
        <source>Every room this service needs is full then: {start}-{end} {service}.</source>
        <translation>В это время все подходящие кабинеты заняты: {start}–{end} {service}.</translation>
    </message>
    <message>
        <source>Give a last day or a number of times, not both.</source>
        <translation>Укажите последний день или число визитов, но не то и другое.</translation>
    </message>
    <message>
        <source>Give a last day or a number of times.</source>
        <translation>Укажите последний день или число визитов.</translation>
    </message>
    <message>
        <source>Give the hours as a whole number from 0 to {limit} (0: no cancellation counts as late).</source>
        <translation>Укажите целое число часов от 0 до {limit} (0 — ни одна отмена не считается поздней).</translation>
    </message>
    <message>
        <source>Health data cannot be changed here.</source>
        <translation>Здесь нельзя изменить данные о здоровье.</translation>
    </message>
    <message>
        <source>Keep the reason under {limit} characters.</source>
        <translation>Причина должна быть короче {limit} символов.</translation>
    </message>
    <message>
        <source>Name the product that was tested.</source>
        <translation>Укажите, какое средство проверяли.</translation>
    </message>
    <message>
        <source>No active therapist does this service.</source>
        <translation>Ни один из работающих мастеров не выполняет эту услугу.</translation>
    </message>
    <message>
        <source>No client has the number or card “{client}”.</source>
        <translation>Нет клиента с номером или картой «{client}».</translation>
    </message>
    <message>
        <source>No keyring on this computer: the health data key is kept in a file readable only by this user ({path}). Export the key and keep it safe.</source>
        <translation>На этом компьютере нет хранилища паролей: ключ медицинских данных хранится в файле, доступном только этому пользователю ({path}). Экспортируйте ключ и храните его в надёжном месте.</translation>
    </message>
    <message>
        <source>No therapist who does this service is free then.</source>
        <translation>В это время нет свободных мастеров, выполняющих эту услугу.</translation>
    </message>
    <message>
        <source>Only a booked appointment can be repeated.</source>
        <translation>Повторить можно только действующую запись.</translation>
    </message>
    <message>
        <source>Only {on_hand} of {product} on hand.</source>
        <translation>{product}: в наличии только {on_hand}.</translation>
    </message>
    <message>
        <source>Quantity must be between 1 and {most}.</source>
        <translation>Количество должно быть от 1 до {most}.</translation>
    </message>
    <message>
        <source>Record the client&apos;s consent to keep health data first (on the card, Contact and consent).</source>
        <translation>Сначала отметьте согласие клиента на хранение медицинских данных (в карточке, раздел «Контакты и согласия»).</translation>
    </message>
    <message>
        <source>Repeat every 1 to {most} weeks.</source>
        <translation>Повтор — раз в 1–{most} недель.</translation>
    </message>
    <message>
        <source>Say how the client agreed to marketing messages.</source>
        <translation>Укажите, как клиент дал согласие на рекламные рассылки.</translation>
    </message>
    <message>
        <source>Say how the patch test went.</source>
        <translation>Укажите результат пробы.</translation>
    </message>
    <message>
        <source>Say why the appointment is cancelled.</source>
        <translation>Укажите причину отмены записи.</translation>
    </message>
    <message>
        <source>Say why the points change.</source>
        <translation>Укажите причину изменения баллов.</translation>
    </message>
    <message>
        <source>Search between 1 and {most} days.</source>
        <translation>Искать можно на срок от 1 до {most} дней.</translation>
    </message>
    <message>
        <source>That equipment is archived or no longer exists.</source>
        <translation>Это оборудование в архиве или удалено.</translation>
    </message>
    <message>
        <source>That health entry no longer exists.</source>
        <translation>Этой медицинской записи больше нет.</translation>
    </message>
    <message>
        <source>That is more than {most} appointments: choose an earlier last day.</source>
        <translation>Это больше {most} записей: выберите более ранний последний день.</translation>
    </message>
    <message>
        <source>That patch test no longer exists.</source>
        <translation>Этой пробы больше нет.</translation>
    </message>
    <message>
        <source>That room is archived or no longer exists.</source>
        <translation>Этот кабинет в архиве или удалён.</translation>
    </message>
    <message>
        <source>That therapist no longer works here.</source>
        <translation>Этот мастер здесь больше не работает.</translation>
    </message>
    <message>
        <source>That time has already passed.</source>
        <translation>Это время уже прошло.</translation>
    </message>
    <message>
        <source>The appointment has been changed since; it was not put back.</source>
        <translation>Запись с тех пор изменили, поэтому она не возвращена на прежнее место.</translation>
    </message>
    <message>
        <source>The client has only {balance} points: the balance cannot go below zero.</source>
        <translation>У клиента только {balance} баллов: баланс не может стать меньше нуля.</translation>
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
    <message>
        <source>The database {path} has rows that point to missing rows; it was not upgraded. Restore its latest backup.</source>
        <translation>В базе данных {path} есть записи, ссылающиеся на отсутствующие записи; она не обновлена. Восстановите последнюю резервную копию.</translation>
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
        <source>The display order cannot be negative.</source>
        <translation>Порядок отображения не может быть отрицательным.</translation>
    </message>
    <message>
        <source>The end of the time window must be after its start.</source>
        <translation>Конец промежутка должен быть позже его начала.</translation>
    </message>
    <message>
        <source>The equipment this service needs is in use then: {start}-{end} {service}.</source>
        <translation>Нужное для услуги оборудование в это время занято: {start}–{end} {service}.</translation>
    </message>
    <message>
        <source>The equipment this service needs is not available.</source>
        <translation>Нужное для услуги оборудование недоступно.</translation>
    </message>
    <message>
        <source>The file has a header but no rows.</source>
        <translation>В файле есть заголовок, но нет строк.</translation>
    </message>
    <message>
        <source>The file has no column for the client&apos;s name (looked for “{expected}”); its columns are: {found}.</source>
        <translation>В файле нет столбца с именем клиента (искали «{expected}»); столбцы файла: {found}.</translation>
    </message>
    <message>
        <source>The file has no header row naming its columns.</source>
        <translation>В файле нет строки заголовков с названиями столбцов.</translation>
    </message>
    <message>
        <source>The file has no {column} column; every row needs one.</source>
        <translation>В файле нет столбца «{column}», а он нужен каждой строке.</translation>
    </message>
    <message>
        <source>The file has no {column} column; products need one.</source>
        <translation>В файле нет столбца «{column}», а он нужен товарам.</translation>
    </message>
    <message>
        <source>The file has no {column} column; services need one.</source>
        <translation>В файле нет столбца «{column}», а он нужен услугам.</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>Файл пуст.</translation>
    </message>
    <message>
        <source>The file is not in {encoding}. Choose another encoding.</source>
        <translation>Файл не в кодировке {encoding}. Выберите другую кодировку.</translation>
    </message>
    <message>
        <source>The file is {size} MB; a price list may be at most 5 MB.</source>
        <translation>Размер файла {size} МБ, а прайс-лист может быть не больше 5 МБ.</translation>
    </message>
    <message>
        <source>The file is {size} MB; at most {max} MB can be read.</source>
        <translation>Размер файла {size} МБ; можно прочитать не больше {max} МБ.</translation>
    </message>
    <message>
        <source>The file&apos;s text is not in any encoding FrontDesk reads (tried {tried}). Save it as CSV UTF-8 and open it again.</source>
        <translation>Текст файла не в той кодировке, которую читает FrontDesk (проверены {tried}). Сохраните его как CSV UTF-8 и откройте снова.</translation>
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
        <source>The health data key on this computer does not open this database&apos;s health data. Restore the shop&apos;s key (Back office, Health data key, or: frontdesk key import FILE).</source>
        <translation>Ключ медицинских данных на этом компьютере не открывает медицинские данные этой базы. Восстановите ключ салона (Управление → Ключ медицинских данных или: frontdesk key import FILE).</translation>
    </message>
    <message>
        <source>The largest “{kind}” room holds {places}: it could never be booked.</source>
        <translation>Самый большой кабинет типа «{kind}» вмещает {places}: эту услугу никогда не удастся записать.</translation>
    </message>
    <message>
        <source>The last day cannot be before the first day.</source>
        <translation>Последний день не может быть раньше первого.</translation>
    </message>
    <message>
        <source>The last day comes before the second appointment.</source>
        <translation>Последний день раньше второй записи.</translation>
    </message>
    <message>
        <source>The last day has already passed.</source>
        <translation>Последний день уже прошёл.</translation>
    </message>
    <message>
        <source>The last day is before the first day.</source>
        <translation>Последний день раньше первого.</translation>
    </message>
    <message>
        <source>The last name is too long: at most {max_chars} characters, with letters such as ß counted twice.</source>
        <translation>Фамилия слишком длинная: не более {max_chars} символов (буквы вроде ß считаются за два).</translation>
    </message>
    <message>
        <source>The latest start must be after the earliest start.</source>
        <translation>Самое позднее начало должно быть позже самого раннего.</translation>
    </message>
    <message>
        <source>The number of times is from 2 to {most}.</source>
        <translation>Число визитов — от 2 до {most}.</translation>
    </message>
    <message>
        <source>The price is too large.</source>
        <translation>Слишком большая цена.</translation>
    </message>
    <message>
        <source>The product “{other}” already has this SKU.</source>
        <translation>Этот артикул уже у товара «{other}».</translation>
    </message>
    <message>
        <source>The product “{other}” already has this barcode.</source>
        <translation>Этот штрихкод уже у товара «{other}».</translation>
    </message>
    <message>
        <source>The quantity cannot be below zero.</source>
        <translation>Количество не может быть меньше нуля.</translation>
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
        <source>The room has fewer places than this service needs.</source>
        <translation>В кабинете меньше мест, чем нужно для этой услуги.</translation>
    </message>
    <message>
        <source>The same equipment is listed twice.</source>
        <translation>Одно и то же оборудование указано дважды.</translation>
    </message>
    <message>
        <source>The settings file could not be written: {reason}</source>
        <translation>Не удалось записать файл настроек: {reason}</translation>
    </message>
    <message>
        <source>The shop has fewer of this equipment than the service needs.</source>
        <translation>Этого оборудования в салоне меньше, чем нужно для услуги.</translation>
    </message>
    <message>
        <source>The shop has only {have} of “{name}”.</source>
        <translation>В салоне только {have} шт. «{name}».</translation>
    </message>
    <message>
        <source>The shop is closed on that day.</source>
        <translation>В этот день салон закрыт.</translation>
    </message>
    <message>
        <source>The shop needs at least one active owner.</source>
        <translation>В салоне должен быть хотя бы один действующий владелец.</translation>
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
        <source>The spend cannot be negative.</source>
        <translation>Сумма покупок не может быть отрицательной.</translation>
    </message>
    <message>
        <source>The step is between 1 and {most} minutes.</source>
        <translation>Шаг — от 1 до {most} минут.</translation>
    </message>
    <message>
        <source>The therapist does not work on that day.</source>
        <translation>Мастер в этот день не работает.</translation>
    </message>
    <message>
        <source>The therapist is away on that day.</source>
        <translation>Мастера в этот день нет на месте.</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>PIN-коды не совпадают.</translation>
    </message>
    <message>
        <source>There is already a category called “{name}”.</source>
        <translation>Категория «{name}» уже есть.</translation>
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
        <source>There is no room of the kind this service needs.</source>
        <translation>Нет помещения того типа, который нужен для этой услуги.</translation>
    </message>
    <message>
        <source>There is no sale with receipt number {number}.</source>
        <translation>Продажа с номером чека {number} не найдена.</translation>
    </message>
    <message>
        <source>This appointment already repeats.</source>
        <translation>Эта запись уже повторяется.</translation>
    </message>
    <message>
        <source>This appointment has already been paid.</source>
        <translation>Эта запись уже оплачена.</translation>
    </message>
    <message>
        <source>This appointment is already marked “{status}”.</source>
        <translation>У этой записи уже стоит статус «{status}».</translation>
    </message>
    <message>
        <source>This cannot be below zero.</source>
        <translation>Не может быть меньше нуля.</translation>
    </message>
    <message>
        <source>This cannot be negative.</source>
        <translation>Значение не может быть отрицательным.</translation>
    </message>
    <message>
        <source>This category already has a service called “{name}”.</source>
        <translation>В этой категории уже есть услуга «{name}».</translation>
    </message>
    <message>
        <source>This client is no longer on the waitlist.</source>
        <translation>Этого клиента больше нет в листе ожидания.</translation>
    </message>
    <message>
        <source>This currency has no coins that small: choose a larger step.</source>
        <translation>В этой валюте нет таких мелких монет: выберите шаг побольше.</translation>
    </message>
    <message>
        <source>This database holds sealed health data, but its key is not on this computer. Restore the shop&apos;s key (Back office, Health data key, or: frontdesk key import FILE).</source>
        <translation>В этой базе есть зашифрованные медицинские данные, но ключа к ним на этом компьютере нет. Восстановите ключ салона (Управление → Ключ медицинских данных или: frontdesk key import FILE).</translation>
    </message>
    <message>
        <source>This database was updated by a newer version of FrontDesk (schema {revision}). Install that version or newer to open it.</source>
        <translation>Эта база данных обновлена более новой версией FrontDesk (версия схемы {revision}). Чтобы открыть её, установите эту версию или новее.</translation>
    </message>
    <message>
        <source>This is already recorded for this client.</source>
        <translation>Это уже записано у клиента.</translation>
    </message>
    <message>
        <source>This is not a health data key: check it was copied whole (it starts with FDKEY1).</source>
        <translation>Это не ключ медицинских данных: проверьте, что он скопирован целиком (начинается с FDKEY1).</translation>
    </message>
    <message>
        <source>This is not a loyalty card number (4-32 letters, digits or dashes).</source>
        <translation>Это не номер карты клиента (4–32 символа: буквы, цифры или дефисы).</translation>
    </message>
    <message>
        <source>This key does not open this shop&apos;s health data.</source>
        <translation>Этот ключ не открывает медицинские данные салона.</translation>
    </message>
    <message>
        <source>This service is also on line {other}, in the same category.</source>
        <translation>Эта услуга в той же категории есть и в строке {other}.</translation>
    </message>
    <message>
        <source>This shop already has staff: sign in instead.</source>
        <translation>В салоне уже есть сотрудники — просто войдите в систему.</translation>
    </message>
    <message>
        <source>This therapist does not do this service.</source>
        <translation>Этот мастер не выполняет эту услугу.</translation>
    </message>
    <message>
        <source>Times are between 00:00 and 24:00.</source>
        <translation>Время должно быть от 00:00 до 24:00.</translation>
    </message>
    <message>
        <source>Too many backups of {database} in {folder} this second.</source>
        <translation>Слишком много резервных копий {database} в {folder} за одну секунду.</translation>
    </message>
    <message>
        <source>Two breaks on this day overlap.</source>
        <translation>В этот день два перерыва пересекаются.</translation>
    </message>
    <message>
        <source>Two columns are read as {column}: “{first}” and “{second}”.</source>
        <translation>Два столбца читаются как «{column}»: «{first}» и «{second}».</translation>
    </message>
    <message>
        <source>Two opening spans on this day overlap.</source>
        <translation>В этот день два периода работы пересекаются.</translation>
    </message>
    <message>
        <source>Two tiers cannot have the same name.</source>
        <translation>У двух уровней не может быть одинакового названия.</translation>
    </message>
    <message>
        <source>Two tiers cannot start at the same spend.</source>
        <translation>Два уровня не могут начинаться с одной и той же суммы.</translation>
    </message>
    <message>
        <source>Two working spans on this day overlap.</source>
        <translation>В этот день два рабочих интервала пересекаются.</translation>
    </message>
    <message>
        <source>Type a tag.</source>
        <translation>Введите метку.</translation>
    </message>
    <message>
        <source>Use at most {digits} decimal places.</source>
        <translation>Не более {digits} знаков после запятой.</translation>
    </message>
    <message>
        <source>Use at most {limit} characters.</source>
        <translation>Не больше {limit} символов.</translation>
    </message>
    <message>
        <source>With its buffer this service takes {minutes} minutes, longer than the shop is ever open in one go ({open_minutes} minutes).</source>
        <translation>С перерывом услуга занимает {minutes} мин. — дольше, чем салон работает без перерыва ({open_minutes} мин.).</translation>
    </message>
    <message>
        <source>Write opening hours like 09:00-18:00, 19:00-21:00.</source>
        <translation>Укажите часы работы так: 09:00-18:00, 19:00-21:00.</translation>
    </message>
    <message>
        <source>Write the note first.</source>
        <translation>Сначала напишите заметку.</translation>
    </message>
    <message>
        <source>Write times as 09:00-13:00, 14:00-18:00.</source>
        <translation>Укажите время так: 09:00-13:00, 14:00-18:00.</translation>
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
            <numerusform>Неверный PIN-код. {name}: вход заблокирован на %n минуту.</numerusform>
            <numerusform>Неверный PIN-код. {name}: вход заблокирован на %n минуты.</numerusform>
            <numerusform>Неверный PIN-код. {name}: вход заблокирован на %n минут.</numerusform>
        </translation>
    </message>
    <message>
        <source>You cannot archive yourself.</source>
        <translation>Нельзя отправить в архив самого себя.</translation>
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
        <source>{file} cannot be read.</source>
        <translation>Не удаётся прочитать {file}.</translation>
    </message>
    <message>
        <source>{file} cannot be written.</source>
        <translation>Не удаётся записать {file}.</translation>
    </message>
    <message>
        <source>{item} is tagged “{tag}”, which matches this client&apos;s allergy or contraindication. Check with the client; to go ahead, give a reason.</source>
        <translation>У «{item}» есть метка «{tag}», которая совпадает с аллергией или противопоказанием клиента. Уточните у клиента; чтобы продолжить, укажите причину.</translation>
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
        <source>{label} has at most {max_lines} lines.</source>
        <translation>{label}: не более {max_lines} строк.</translation>
    </message>
    <message>
        <source>{label} is at most {max_chars} characters.</source>
        <translation>{label}: не более {max_chars} символов.</translation>
    </message>
    <message>
        <source>{label} may hold only letters, digits and . _ / - (no spaces).</source>
        <translation>{label}: только буквы, цифры и . _ / - (без пробелов).</translation>
    </message>
    <message>
        <source>{label} must be a whole number from {low} to {high}.</source>
        <translation>{label}: нужно целое число от {low} до {high}.</translation>
    </message>
    <message>
        <source>{name} has no PIN yet: an owner or manager sets one in the back office.</source>
        <translation>{name}: PIN-код ещё не задан. Его задаёт владелец или управляющий в разделе «Управление».</translation>
    </message>
    <message numerus="yes">
        <source>{name} is locked after too many wrong PINs. Try again in %n min or ask a manager.</source>
        <translation>
            <numerusform>{name}: вход заблокирован — слишком много неверных PIN-кодов. Повторите через %n минуту или обратитесь к управляющему.</numerusform>
            <numerusform>{name}: вход заблокирован — слишком много неверных PIN-кодов. Повторите через %n минуты или обратитесь к управляющему.</numerusform>
            <numerusform>{name}: вход заблокирован — слишком много неверных PIN-кодов. Повторите через %n минут или обратитесь к управляющему.</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} still has appointments ahead. Move or cancel them first:</source>
        <translation>{name}: есть предстоящие записи. Сначала перенесите или отмените их:</translation>
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
        <source>{product} is archived: it is no longer sold.</source>
        <translation>{product} в архиве: больше не продаётся.</translation>
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
        <source>“{substance}” is listed twice.</source>
        <translation>«{substance}» указано дважды.</translation>
    </message>
    <message>
        <source>“{text}” is ambiguous: this shop writes amounts like {example}.</source>
        <translation>«{text}» можно понять по-разному: в салоне суммы пишутся так: {example}.</translation>
    </message>
    <message>
        <source>“{text}” is neither a service nor a product.</source>
        <translation>«{text}» — не услуга и не товар.</translation>
    </message>
    <message>
        <source>“{text}” is neither yes nor no.</source>
        <translation>«{text}» — это ни «да», ни «нет».</translation>
    </message>
    <message>
        <source>“{text}” is not a date (use YYYY-MM-DD or DD.MM.YYYY).</source>
        <translation>«{text}» — не дата (используйте ГГГГ-ММ-ДД или ДД.ММ.ГГГГ).</translation>
    </message>
    <message>
        <source>“{text}” is not a number of minutes.</source>
        <translation>«{text}» — не число минут.</translation>
    </message>
    <message>
        <source>“{text}” is not a preference (write topic: value).</source>
        <translation>«{text}» — не предпочтение (пишите тема: значение).</translation>
    </message>
    <message>
        <source>“{text}” is not a rate in per cent.</source>
        <translation>«{text}» — это не ставка в процентах.</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number.</source>
        <translation>«{text}» — не целое число.</translation>
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
        <source>“{text}” is too large.</source>
        <translation>«{text}» — слишком большое число.</translation>
    </message>
    <message>
        <source>“{url}” is not a database URL FrontDesk can use. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>«{url}» — не тот URL базы данных, с которым работает FrontDesk. FrontDesk работает с файлом SQLite (укажите путь к нему) или с сервером PostgreSQL (postgresql+psycopg://user:password@host/name).</translation>
    </message>
    <message>
        <source>That time does not exist on that day: the clocks go forward then. Choose another time.</source>
        <translation>В этот день такого времени нет: часы в это время переводят вперёд. Выберите другое время.</translation>
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
