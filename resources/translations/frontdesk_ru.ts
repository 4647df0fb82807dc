<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
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
