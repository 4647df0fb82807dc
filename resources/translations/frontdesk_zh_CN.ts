<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppointmentStatus</name>
    <message>
        <source>Paid</source>
        <translation>已结账</translation>
    </message>
</context>
<context>
    <name>BackOfficeArea</name>
    <message>
        <source>The shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Rooms and equipment</source>
        <translation>房间与设备</translation>
    </message>
    <message>
        <source>Retail products</source>
        <translation>零售商品</translation>
    </message>
    <message>
        <source>Price list import</source>
        <translation>价目表导入</translation>
    </message>
    <message>
        <source>Printer and scanner</source>
        <translation>打印机与扫码枪</translation>
    </message>
    <message>
        <source>Guided start…</source>
        <translation>引导设置…</translation>
    </message>
    <message>
        <source>Walk through setting up the shop again, step by step.</source>
        <translation>再次按步骤设置店铺。</translation>
    </message>
</context>
<context>
    <name>CalendarArea</name>
    <message>
        <source>◀ Previous</source>
        <extracomment>What the calendar shows: bookings, paid marks, client names and allergy marks, therapists and their hours, rooms, service names; and the shop&apos;s zone and language. The day on screen (None until the first read arrives).</extracomment>
        <translation>◀ 前一天</translation>
    </message>
    <message>
        <source>Previous day (Alt+Left)</source>
        <translation>前一天 (Alt+Left)</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Back to today (Alt+Home)</source>
        <translation>回到今天 (Alt+Home)</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>后一天 ▶</translation>
    </message>
    <message>
        <source>Next day (Alt+Right)</source>
        <translation>后一天 (Alt+Right)</translation>
    </message>
    <message>
        <source>Open client</source>
        <translation>顾客资料</translation>
    </message>
    <message>
        <source>Open the selected appointment&apos;s client card (Enter)</source>
        <translation>打开所选预约的顾客资料 (Enter)</translation>
    </message>
    <message>
        <source>Check out…</source>
        <translation>结账…</translation>
    </message>
    <message>
        <source>Take payment for the selected appointment (F9)</source>
        <translation>为所选预约结账 (F9)</translation>
    </message>
    <message>
        <source>loading the calendar</source>
        <translation>加载预约表</translation>
    </message>
    <message numerus="yes">
        <source>{date} · %n appointment(s)</source>
        <translation>
            <numerusform>{date} · %n 个预约</numerusform>
        </translation>
    </message>
    <message>
        <source>No therapists are set up yet.</source>
        <translation>还没有设置技师。</translation>
    </message>
    <message>
        <source>No appointments on this day.</source>
        <translation>这天没有预约。</translation>
    </message>
</context>
<context>
    <name>CheckoutArea</name>
    <message>
        <source>Pick an appointment to check out.</source>
        <extracomment>What the waiting list and the quote show: visits, clients&apos; names, services, therapists. The appointment asked for (picked, or sent from the calendar) before its quote came.</extracomment>
        <translation>请选择要结账的预约。</translation>
    </message>
    <message>
        <source>&amp;Cash</source>
        <translation>现金(&amp;C)</translation>
    </message>
    <message>
        <source>C&amp;ard</source>
        <translation>刷卡(&amp;A)</translation>
    </message>
    <message>
        <source>Amount received</source>
        <translation>实收金额</translation>
    </message>
    <message>
        <source>Complete sale (F9)</source>
        <translation>完成结账 (F9)</translation>
    </message>
    <message>
        <source>Reprint last receipt</source>
        <translation>补打上一张小票</translation>
    </message>
    <message>
        <source>Open cash drawer</source>
        <translation>打开钱箱</translation>
    </message>
    <message>
        <source>No receipt printer is set up (printer_kind in settings).</source>
        <translation>未设置小票打印机（在设置中配置 printer_kind）。</translation>
    </message>
    <message>
        <source>Waiting to pay today</source>
        <translation>今日待结账</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>loading today&apos;s appointments</source>
        <translation>加载今日预约</translation>
    </message>
    <message>
        <source>Everyone today has paid.</source>
        <translation>今天的顾客都已结账。</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting. Pick one to take payment.</source>
        <translation>
            <numerusform>%n 位顾客待结账，请选择一位进行结账。</numerusform>
        </translation>
    </message>
    <message>
        <source>loading the appointment</source>
        <translation>加载预约</translation>
    </message>
    <message>
        <source>{service} — {therapist} · {minutes} min    {amount}</source>
        <translation>{service} — {therapist} · {minutes} 分钟    {amount}</translation>
    </message>
    <message>
        <source>Total {total}  (incl. tax {tax})</source>
        <translation>合计 {total}（其中税额 {tax}）</translation>
    </message>
    <message>
        <source>Not enough yet</source>
        <translation>金额不足</translation>
    </message>
    <message>
        <source>taking the payment</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Taking the payment…</source>
        <translation>正在收款…</translation>
    </message>
    <message>
        <source>Sale {number} complete: {total}.</source>
        <translation>结账完成，单号 {number}：{total}。</translation>
    </message>
    <message>
        <source>Change due: {change}.</source>
        <translation>应找零：{change}。</translation>
    </message>
    <message>
        <source>No receipt printer is set up.</source>
        <translation>未设置小票打印机。</translation>
    </message>
    <message>
        <source>Printing receipt…</source>
        <translation>正在打印小票…</translation>
    </message>
    <message>
        <source>reading the printer&apos;s state</source>
        <translation>读取打印机状态</translation>
    </message>
    <message>
        <source>Receipt printed.</source>
        <translation>小票已打印。</translation>
    </message>
    <message>
        <source>Receipt sent to the printer (it cannot confirm printing).</source>
        <translation>小票已发送到打印机（该打印机无法确认是否打印成功）。</translation>
    </message>
    <message>
        <source>The receipt may not have printed: see unprinted receipts in the status bar.</source>
        <translation>小票可能未打印：请在状态栏查看未打印的小票。</translation>
    </message>
    <message>
        <source>Receipt waiting: {why}.</source>
        <translation>小票等待打印：{why}。</translation>
    </message>
    <message>
        <source>Opening the drawer…</source>
        <translation>正在打开钱箱…</translation>
    </message>
    <message>
        <source>Drawer opened.</source>
        <translation>钱箱已打开。</translation>
    </message>
    <message>
        <source>The drawer did not open: {reason}.</source>
        <translation>钱箱没有打开：{reason}。</translation>
    </message>
</context>
<context>
    <name>ClientCardView</name>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <source>Marketing</source>
        <translation>营销信息</translation>
    </message>
    <message>
        <source>Client since</source>
        <translation>建档日期</translation>
    </message>
    <message>
        <source>Paid visits</source>
        <translation>已结账次数</translation>
    </message>
    <message>
        <source>Spent in total</source>
        <translation>累计消费</translation>
    </message>
    <message>
        <source>Contact and loyalty</source>
        <translation>联系方式与会员卡</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>偏好</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>技师</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Visit history</source>
        <translation>到店记录</translation>
    </message>
    <message>
        <source>mild</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中度</translation>
    </message>
    <message>
        <source>severe</source>
        <translation>重度</translation>
    </message>
    <message>
        <source>Health information is not shown to your role.</source>
        <translation>您的角色无权查看健康信息。</translation>
    </message>
    <message>
        <source>{substance} ({severity}): {notes}</source>
        <translation>{substance}（{severity}）：{notes}</translation>
    </message>
    <message>
        <source>{substance} ({severity})</source>
        <translation>{substance}（{severity}）</translation>
    </message>
    <message>
        <source>⚠ Allergies: {allergies}</source>
        <translation>⚠ 过敏：{allergies}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>No known allergies.</source>
        <translation>无已知过敏。</translation>
    </message>
    <message>
        <source>No card</source>
        <translation>无会员卡</translation>
    </message>
    <message>
        <source>Agreed</source>
        <translation>已同意</translation>
    </message>
    <message>
        <source>Not agreed</source>
        <translation>未同意</translation>
    </message>
    <message>
        <source>{topic}: {value}</source>
        <translation>{topic}：{value}</translation>
    </message>
    <message>
        <source>No preferences recorded yet.</source>
        <translation>暂无偏好记录。</translation>
    </message>
</context>
<context>
    <name>ClientFormDialog</name>
    <message>
        <source>Edit client</source>
        <translation>编辑顾客资料</translation>
    </message>
    <message>
        <source>New client</source>
        <translation>新顾客</translation>
    </message>
    <message>
        <source>First name *</source>
        <translation>名 *</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>姓</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>Birthday (YYYY-MM-DD)</source>
        <translation>生日（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>Loyalty card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <source>Agrees to marketing messages</source>
        <translation>同意接收营销信息</translation>
    </message>
    <message>
        <source>saving the client</source>
        <translation>保存顾客资料</translation>
    </message>
</context>
<context>
    <name>ClientResultsModel</name>
    <message>
        <source>last visit {date}</source>
        <extracomment>Rows handed to the view at a time: a screenful and more. The view asks for the rest (fetchMore) as the list is scrolled, so a keystroke lays out and measures only these.</extracomment>
        <translation>上次到店 {date}</translation>
    </message>
    <message>
        <source>no visits yet</source>
        <translation>尚未到店</translation>
    </message>
    <message>
        <source>no phone</source>
        <translation>无电话</translation>
    </message>
    <message>
        <source>no card</source>
        <translation>无会员卡</translation>
    </message>
    <message>
        <source>Has allergies: see the card</source>
        <translation>有过敏史：请查看顾客档案</translation>
    </message>
</context>
<context>
    <name>ClientsArea</name>
    <message>
        <source>Name, phone or card number  (Ctrl+F)</source>
        <extracomment>The list now answers this text (emitted once its rows are in the model).</extracomment>
        <translation>姓名、电话或会员卡号（Ctrl+F）</translation>
    </message>
    <message>
        <source>New client (Ctrl+N)</source>
        <translation>新顾客（Ctrl+N）</translation>
    </message>
    <message>
        <source>Edit client…</source>
        <translation>编辑顾客资料…</translation>
    </message>
    <message>
        <source>Search for a client, or scan their loyalty card.</source>
        <translation>搜索顾客，或扫描其会员卡。</translation>
    </message>
    <message>
        <source>searching clients</source>
        <translation>搜索顾客</translation>
    </message>
    <message>
        <source>Type at least one letter, three digits, or scan a card.</source>
        <translation>请输入至少一个字、三位数字，或扫描会员卡。</translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation>没有与“{query}”匹配的顾客。</translation>
    </message>
    <message numerus="yes">
        <source>The first %n matches: type more to narrow the list.</source>
        <translation>
            <numerusform>前 %n 个结果：继续输入以缩小范围。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client(s)</source>
        <translation>
            <numerusform>%n 位顾客</numerusform>
        </translation>
    </message>
    <message>
        <source>opening the client card</source>
        <translation>打开顾客档案</translation>
    </message>
</context>
<context>
    <name>DayGrid</name>
    <message>
        <source>Has allergies: check the client card</source>
        <extracomment>The client card&apos;s visit history names statuses with the calendar&apos;s words.</extracomment>
        <translation>有过敏史：请查看顾客资料</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>休息</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>The first name</source>
        <extracomment>What a form field is called inside an error sentence (&quot;{label} is at most 60 characters.&quot;).</extracomment>
        <translation>名字</translation>
    </message>
    <message>
        <source>The last name</source>
        <translation>姓氏</translation>
    </message>
    <message>
        <source>The phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>The e-mail address</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>The birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>The card number</source>
        <translation>会员卡号</translation>
    </message>
    <message>
        <source>The allergy</source>
        <translation>过敏原</translation>
    </message>
    <message>
        <source>The notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>The preference</source>
        <translation>偏好项目</translation>
    </message>
    <message>
        <source>What the client prefers</source>
        <translation>偏好内容</translation>
    </message>
    <message>
        <source>The name</source>
        <translation>姓名</translation>
    </message>
</context>
<context>
    <name>FirstOwnerDialog</name>
    <message>
        <source>Creating the owner&apos;s account…</source>
        <translation>正在创建店主账户…</translation>
    </message>
    <message>
        <source>Welcome to FrontDesk</source>
        <translation>欢迎使用 FrontDesk</translation>
    </message>
    <message>
        <source>This database has no staff yet. Create the owner&apos;s account to start. (To try FrontDesk with sample data instead, quit and run `frontdesk demo`.)</source>
        <translation>这个数据库里还没有员工。请先创建店主账户。（如果只想用示例数据试用 FrontDesk，请退出并运行 `frontdesk demo`。）</translation>
    </message>
    <message>
        <source>Owner&apos;s name</source>
        <translation>店主姓名</translation>
    </message>
    <message>
        <source>PIN (4-8 digits)</source>
        <translation>PIN 码（4–8 位数字）</translation>
    </message>
    <message>
        <source>PIN again</source>
        <translation>再次输入 PIN 码</translation>
    </message>
    <message>
        <source>Create owner and sign in</source>
        <translation>创建店主并登录</translation>
    </message>
    <message>
        <source>creating the owner</source>
        <translation>创建店主账户</translation>
    </message>
</context>
<context>
    <name>FrontDeskApp</name>
    <message>
        <source>Starting FrontDesk…</source>
        <extracomment>The start begins when the first window is painted, or after this long if it never is. The one database worker: actions run in order, off the GUI thread.</extracomment>
        <translation>正在启动 FrontDesk…</translation>
    </message>
    <message>
        <source>Create a new database at {path}?</source>
        <translation>要在 {path} 新建数据库吗？</translation>
    </message>
    <message>
        <source>Checking the database…</source>
        <translation>正在检查数据库…</translation>
    </message>
    <message>
        <source>Creating the database…</source>
        <translation>正在创建数据库…</translation>
    </message>
    <message>
        <source>FrontDesk cannot start</source>
        <translation>FrontDesk 无法启动</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <source>Receptionist</source>
        <translation>前台</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>技师</translation>
    </message>
    <message>
        <source>seeing the calendar</source>
        <translation>查看预约表</translation>
    </message>
    <message>
        <source>booking appointments</source>
        <translation>登记预约</translation>
    </message>
    <message>
        <source>opening client cards</source>
        <translation>查看顾客资料</translation>
    </message>
    <message>
        <source>editing clients</source>
        <translation>编辑顾客资料</translation>
    </message>
    <message>
        <source>seeing allergies and health notes</source>
        <translation>查看过敏和健康备注</translation>
    </message>
    <message>
        <source>recording allergies and health notes</source>
        <translation>记录过敏和健康备注</translation>
    </message>
    <message>
        <source>taking payments</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>giving refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>opening the cash drawer</source>
        <translation>打开钱箱</translation>
    </message>
    <message>
        <source>reprinting receipts</source>
        <translation>补打小票</translation>
    </message>
    <message>
        <source>seeing money reports</source>
        <translation>查看营业报表</translation>
    </message>
    <message>
        <source>opening the back office</source>
        <translation>进入后台管理</translation>
    </message>
    <message>
        <source>changing the shop&apos;s details</source>
        <translation>修改店铺信息</translation>
    </message>
    <message>
        <source>managing staff</source>
        <translation>管理员工</translation>
    </message>
    <message>
        <source>changing services, products and prices</source>
        <translation>修改服务、商品和价格</translation>
    </message>
    <message>
        <source>adjusting stock</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>setting up the printer and scanner</source>
        <translation>设置打印机和扫码枪</translation>
    </message>
    <message>
        <source>Booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已到店</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>未到店</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>银行卡</translation>
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
        <translation>预约</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Checkout</source>
        <translation>结账</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Back office</source>
        <translation>后台管理</translation>
    </message>
    <message>
        <source>Signed in: {name} ({role})</source>
        <translation>当前登录：{name}（{role}）</translation>
    </message>
    <message>
        <source>⚠ Receipt printer settings</source>
        <translation>⚠ 小票打印机设置</translation>
    </message>
    <message>
        <source>Checkout is for the front desk.</source>
        <translation>结账由前台操作。</translation>
    </message>
    <message>
        <source>Money reports are for owners and managers.</source>
        <translation>营业报表仅限店主和店长查看。</translation>
    </message>
    <message>
        <source>The back office is for owners and managers.</source>
        <translation>后台管理仅限店主和经理使用。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Reprint receipt…</source>
        <translation>补打小票(&amp;R)…</translation>
    </message>
    <message>
        <source>Reprints are for the front desk and managers.</source>
        <translation>补打小票由前台和店长操作。</translation>
    </message>
    <message>
        <source>No receipt printer is set up (printer_kind).</source>
        <translation>尚未设置小票打印机（printer_kind）。</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出程序(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Find client</source>
        <translation>查找顾客(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Calendar, Clients, Checkout, Reports, Back office</source>
        <translation>预约日历、顾客、结账、报表、后台管理</translation>
    </message>
    <message>
        <source>Find a client</source>
        <translation>查找顾客</translation>
    </message>
    <message>
        <source>New client (in Clients)</source>
        <translation>新建顾客（在“顾客”页）</translation>
    </message>
    <message>
        <source>Previous / next day / today</source>
        <translation>前一天 / 后一天 / 今天</translation>
    </message>
    <message>
        <source>Open the selected appointment&apos;s client</source>
        <translation>打开所选预约的顾客资料</translation>
    </message>
    <message>
        <source>Check out the selected appointment / complete the sale</source>
        <translation>为所选预约结账 / 完成收款</translation>
    </message>
    <message>
        <source>Create the end-of-day PDF (in Reports)</source>
        <translation>生成日结 PDF（在“报表”页）</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>The scan could not be read. Please scan again.</source>
        <translation>无法识别扫码内容，请重新扫码。</translation>
    </message>
    <message>
        <source>Card {code}: {name}</source>
        <translation>会员卡 {code}：{name}</translation>
    </message>
    <message>
        <source>looking up a scanned card</source>
        <translation>查找扫码的会员卡</translation>
    </message>
    <message>
        <source>checking the receipt printer settings</source>
        <translation>检查小票打印机设置</translation>
    </message>
    <message>
        <source>Receipt printer settings</source>
        <translation>小票打印机设置</translation>
    </message>
    <message numerus="yes">
        <source>%n receipt(s) have not printed yet.</source>
        <translation>
            <numerusform>还有 %n 张小票未打印。</numerusform>
        </translation>
    </message>
    <message>
        <source>They stay queued and print next time. Quit anyway?</source>
        <translation>它们会留在队列中，下次启动时打印。仍要退出吗？</translation>
    </message>
    <message>
        <source>Receipts waiting</source>
        <translation>小票待打印</translation>
    </message>
</context>
<context>
    <name>OperationRunner</name>
    <message>
        <source>Working…</source>
        <extracomment>Under this, an action feels instant and no dialog flashes up.</extracomment>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>PrinterStatus</name>
    <message>
        <source>Printer: not set up</source>
        <extracomment>Conditions in which a queued receipt waits instead of printing.</extracomment>
        <translation>打印机：未设置</translation>
    </message>
    <message>
        <source>Printer: not checked yet</source>
        <translation>打印机：尚未检查</translation>
    </message>
    <message>
        <source>Printer ready</source>
        <translation>打印机就绪</translation>
    </message>
    <message>
        <source>Printer: receipts sent (it cannot confirm printing)</source>
        <translation>打印机：小票已发送（无法确认是否打印）</translation>
    </message>
    <message>
        <source>Printer: reached (it cannot report paper or errors)</source>
        <translation>打印机：已连接（无法报告缺纸或故障）</translation>
    </message>
    <message>
        <source>Printer offline</source>
        <translation>打印机离线</translation>
    </message>
    <message>
        <source>Printer out of paper</source>
        <translation>打印机缺纸</translation>
    </message>
    <message>
        <source>Printer cover open</source>
        <translation>打印机盖未关</translation>
    </message>
    <message>
        <source>Printer not responding</source>
        <translation>打印机无响应</translation>
    </message>
    <message>
        <source>Printing is done by the other FrontDesk on this computer</source>
        <translation>由本机上另一个 FrontDesk 负责打印</translation>
    </message>
    <message>
        <source>the printer did not confirm it</source>
        <translation>打印机未确认</translation>
    </message>
    <message>
        <source>it could not be prepared</source>
        <translation>小票无法生成</translation>
    </message>
    <message>
        <source>the program stopped while sending it</source>
        <translation>发送时程序中断</translation>
    </message>
    <message>
        <source>Print {number} — may not have printed ({why})</source>
        <translation>打印 {number} — 可能未打印（{why}）</translation>
    </message>
    <message>
        <source>Retry printing</source>
        <extracomment>A flush ended; carries the :class:`PrintRun` (on the GUI thread).</extracomment>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Set printer_kind in settings.toml to print receipts.</source>
        <translation>要打印小票，请在 settings.toml 中设置 printer_kind。</translation>
    </message>
    <message numerus="yes">
        <source>{state} · %n waiting</source>
        <translation>
            <numerusform>{state} · %n 张待打印</numerusform>
        </translation>
    </message>
    <message>
        <source>Check printer</source>
        <translation>检查打印机</translation>
    </message>
    <message numerus="yes">
        <source>%n unprinted</source>
        <translation>
            <numerusform>%n 张未打印</numerusform>
        </translation>
    </message>
    <message>
        <source>Receipts that may not have printed</source>
        <translation>可能未打印的小票</translation>
    </message>
    <message>
        <source>printing the receipt again</source>
        <translation>重新打印小票</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Show archived</source>
        <extracomment>Emitted with the record&apos;s id after it was saved (tests and the guided start wait on it). Kinds of change that may alter this page&apos;s records. Whether records of this kind can be archived (and so restored).</extracomment>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>reading the list</source>
        <translation>读取列表</translation>
    </message>
    <message>
        <source>opening a record</source>
        <translation>打开记录</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>archiving</source>
        <translation>归档</translation>
    </message>
    <message>
        <source>restoring</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>ReportsArea</name>
    <message>
        <source>Create end-of-day PDF (Ctrl+P)</source>
        <extracomment>The figures in the table (None until a report was created).</extracomment>
        <translation>生成日结 PDF (Ctrl+P)</translation>
    </message>
    <message>
        <source>Pick a day and create its end-of-day report.</source>
        <translation>选择日期，生成当日日结报表。</translation>
    </message>
    <message>
        <source>Takings</source>
        <translation>营业额</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>End of day</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Money reports are for owners and managers.</source>
        <translation>营业报表仅限店主和店长查看。</translation>
    </message>
    <message>
        <source>Not saved: {path} was left as it is.</source>
        <translation>未保存：{path} 保持原样。</translation>
    </message>
    <message>
        <source>Creating the report for {day}…</source>
        <translation>正在生成 {day} 的报表…</translation>
    </message>
    <message>
        <source>creating the end-of-day report</source>
        <translation>生成日结报表</translation>
    </message>
    <message>
        <source>Reading the day&apos;s sales…</source>
        <translation>正在读取当日销售…</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在写入 PDF…</translation>
    </message>
    <message>
        <source>The report could not be saved: {reason}.</source>
        <translation>报表无法保存：{reason}。</translation>
    </message>
    <message>
        <source>The report could not be created.</source>
        <translation>报表无法生成。</translation>
    </message>
    <message>
        <source>writing the end-of-day PDF</source>
        <translation>写入日结 PDF</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>No sales were recorded on this day.</source>
        <translation>当天没有销售记录。</translation>
    </message>
    <message>
        <source>backing up the day so far</source>
        <translation>备份当日数据</translation>
    </message>
    <message>
        <source>Backing up the day so far…</source>
        <translation>正在备份当日数据…</translation>
    </message>
    <message>
        <source>Backup of the day so far saved to {path}</source>
        <translation>当日数据备份已保存到 {path}</translation>
    </message>
    <message>
        <source>The backup of the day so far failed: {problem}</source>
        <translation>当日数据备份失败：{problem}</translation>
    </message>
    <message>
        <source>{path} exists and is not a PDF. Replace it?</source>
        <translation>{path} 已存在，且不是 PDF 文件。要替换吗？</translation>
    </message>
    <message numerus="yes">
        <source>%n payment(s)</source>
        <translation>
            <numerusform>%n 笔付款</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s)</source>
        <translation>
            <numerusform>%n 项服务</numerusform>
        </translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售笔数</translation>
    </message>
    <message>
        <source>Gross takings</source>
        <translation>营业总额</translation>
    </message>
    <message>
        <source>of which tax</source>
        <translation>其中税额</translation>
    </message>
    <message>
        <source>Average sale</source>
        <translation>平均客单价</translation>
    </message>
    <message>
        <source>Cash expected in drawer</source>
        <translation>钱箱应有现金</translation>
    </message>
    <message>
        <source>By payment method</source>
        <translation>按付款方式</translation>
    </message>
    <message>
        <source>{method} ({payments})</source>
        <translation>{method}（{payments}）</translation>
    </message>
    <message>
        <source>By therapist</source>
        <translation>按技师</translation>
    </message>
    <message>
        <source>{therapist} ({services})</source>
        <translation>{therapist}（{services}）</translation>
    </message>
    <message>
        <source>Sales changed since the PDF was saved: create it again to include them.</source>
        <translation>保存 PDF 后又有新的销售：请重新生成以包含这些销售。</translation>
    </message>
    <message>
        <source>counting the day&apos;s sales</source>
        <translation>统计当日销售</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>reprinting the receipt</source>
        <translation>补打小票</translation>
    </message>
    <message>
        <source>Copy of receipt {number} queued for the printer.</source>
        <translation>小票 {number} 的补打已加入打印队列。</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <extracomment>A copy was queued; carries its receipt number.</extracomment>
        <translation>补打小票</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>小票单号</translation>
    </message>
    <message>
        <source>The copy is marked COPY and never opens the cash drawer.</source>
        <translation>补打的小票会标注“补打”，且不会打开钱箱。</translation>
    </message>
    <message>
        <source>Enter the receipt number printed on the receipt.</source>
        <translation>请输入小票上印的单号。</translation>
    </message>
</context>
<context>
    <name>ScannerStatus</name>
    <message>
        <source>Serial scanner on {port}</source>
        <translation>串口扫码枪（{port}）</translation>
    </message>
    <message>
        <source>No scanner configured</source>
        <translation>未设置扫码枪</translation>
    </message>
    <message>
        <source>Scanner: not set up</source>
        <translation>扫码枪：未设置</translation>
    </message>
    <message>
        <source>Scanner: stopped</source>
        <translation>扫码枪：已停止</translation>
    </message>
    <message>
        <source>Scanner: opening {port}</source>
        <translation>扫码枪：正在打开 {port}</translation>
    </message>
    <message>
        <source>Scanner: connected</source>
        <translation>扫码枪：已连接</translation>
    </message>
    <message>
        <source>Scanner: waiting for {port}</source>
        <translation>扫码枪：等待 {port}</translation>
    </message>
    <message>
        <source>Scanner: error</source>
        <translation>扫码枪：出错</translation>
    </message>
    <message>
        <source>Scanner: error ({reason})</source>
        <translation>扫码枪：出错（{reason}）</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有访问权限</translation>
    </message>
    <message>
        <source>in use by another program</source>
        <translation>被其他程序占用</translation>
    </message>
    <message>
        <source>not a serial port</source>
        <translation>不是串口</translation>
    </message>
    <message>
        <source>not a valid port setting</source>
        <translation>端口设置无效</translation>
    </message>
    <message>
        <source>Set scanner_port in settings.toml to use a serial barcode scanner.</source>
        <translation>如需使用串口扫码枪，请在 settings.toml 中设置 scanner_port。</translation>
    </message>
    <message>
        <source>Plug the scanner in, or check the scanner_port setting. FrontDesk connects by itself as soon as the device appears.</source>
        <translation>请插上扫码枪，或检查 scanner_port 设置。设备一接入，FrontDesk 会自动连接。</translation>
    </message>
    <message>
        <source>On Linux, add this user to the &apos;dialout&apos; group and log in again.</source>
        <translation>在 Linux 上，请把当前用户加入 &apos;dialout&apos; 组，然后重新登录系统。</translation>
    </message>
    <message>
        <source>Close the other program that uses the scanner (or another FrontDesk window); FrontDesk keeps trying.</source>
        <translation>请关闭正在使用扫码枪的其他程序（或另一个 FrontDesk 窗口）；FrontDesk 会继续尝试连接。</translation>
    </message>
    <message>
        <source>Check the port name in the scanner_port setting: {port} is not a serial port.</source>
        <translation>请检查 scanner_port 设置中的端口名：{port} 不是串口。</translation>
    </message>
    <message>
        <source>Check the scanner_port setting: {port} is neither a device path nor a pyserial URL.</source>
        <translation>请检查 scanner_port 设置：{port} 既不是设备路径，也不是 pyserial URL。</translation>
    </message>
    <message>
        <source>FrontDesk keeps trying. Check the cable and the scanner_port setting.</source>
        <translation>FrontDesk 会继续尝试连接。请检查连接线和 scanner_port 设置。</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Checking your PIN…</source>
        <translation>正在核对 PIN 码…</translation>
    </message>
    <message>
        <source>Sign in — {shop}</source>
        <extracomment>STAFF_ID_ROLE. Touching PySide6&apos;s `Qt` namespace builds all of its enums (a sixth of a second here), which the first window can do without.</extracomment>
        <translation>登录 — {shop}</translation>
    </message>
    <message>
        <source>Who is at the desk?</source>
        <translation>谁在前台？</translation>
    </message>
    <message>
        <source>PIN (4-8 digits)</source>
        <translation>PIN 码（4–8 位数字）</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Nobody can sign in: every staff account is inactive.</source>
        <translation>无人可以登录：所有员工账户都已停用。</translation>
    </message>
    <message>
        <source>Pick your name first.</source>
        <translation>请先选择您的名字。</translation>
    </message>
    <message>
        <source>checking the PIN</source>
        <translation>核对 PIN 码</translation>
    </message>
</context>
<context>
    <name>argparse</name>
    <message>
        <source>usage: </source>
        <translation>用法：</translation>
    </message>
    <message>
        <source>positional arguments</source>
        <translation>位置参数</translation>
    </message>
    <message>
        <source>options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>show this help message and exit</source>
        <translation>显示本帮助并退出</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>“{text}” is not a date (use YYYY-MM-DD)</source>
        <translation>“{text}”不是有效日期（请用 YYYY-MM-DD 格式）</translation>
    </message>
    <message>
        <source>“{text}” is not a whole number</source>
        <translation>“{text}”不是整数</translation>
    </message>
    <message>
        <source>must be at least 1</source>
        <translation>不能小于 1</translation>
    </message>
    <message>
        <source>database URL or SQLite file (default: $FRONTDESK_DATABASE_URL, then frontdesk.sqlite3 in the user data folder); may be given before or after the command</source>
        <translation>数据库 URL 或 SQLite 文件（默认：$FRONTDESK_DATABASE_URL，其次是用户数据文件夹里的 frontdesk.sqlite3）；可写在命令前面或后面</translation>
    </message>
    <message>
        <source>FrontDesk backs up SQLite files only. For PostgreSQL use the server&apos;s own tools: `pg_dump --format=custom --file=frontdesk.dump DBNAME` to back up and `pg_restore --clean --if-exists --dbname=DBNAME frontdesk.dump` to restore (see the README).</source>
        <translation>FrontDesk 只能备份 SQLite 数据库文件。PostgreSQL 请使用服务器自带的工具：备份用 `pg_dump --format=custom --file=frontdesk.dump DBNAME`，恢复用 `pg_restore --clean --if-exists --dbname=DBNAME frontdesk.dump`（详见 README）。</translation>
    </message>
    <message>
        <source>Front desk and point of sale for spas, salons and bathhouses.</source>
        <translation>面向水疗馆、美容美发店和浴场的前台与收银系统。</translation>
    </message>
    <message>
        <source>open the front desk window (the default)</source>
        <translation>打开前台窗口（默认）</translation>
    </message>
    <message>
        <source>Open the front desk window.</source>
        <translation>打开前台窗口。</translation>
    </message>
    <message>
        <source>build a demo spa database</source>
        <translation>生成演示门店数据库</translation>
    </message>
    <message>
        <source>Build a realistic, deterministic demo spa database.</source>
        <translation>生成一个逼真且每次结果相同的演示门店数据库。</translation>
    </message>
    <message>
        <source>number of clients (default 3000; 1000000 works for benchmarks)</source>
        <translation>顾客人数（默认 3000；性能测试可用 1000000）</translation>
    </message>
    <message>
        <source>language of names and texts (default en)</source>
        <translation>姓名和文字的语言（默认 en）</translation>
    </message>
    <message>
        <source>random seed (default 7)</source>
        <translation>随机种子（默认 7）</translation>
    </message>
    <message>
        <source>replace an existing SQLite file at --db</source>
        <translation>替换 --db 处已有的 SQLite 文件</translation>
    </message>
    <message>
        <source>write reports</source>
        <translation>生成报表</translation>
    </message>
    <message>
        <source>Write reports as PDF files.</source>
        <translation>把报表保存为 PDF 文件。</translation>
    </message>
    <message>
        <source>end-of-day PDF</source>
        <translation>日结报表 PDF</translation>
    </message>
    <message>
        <source>Write the end-of-day report of one day as a PDF. Writing today&apos;s report also takes an automatic backup of the day so far.</source>
        <translation>把某一天的日结报表保存为 PDF。生成今天的报表时，还会自动备份今天到目前为止的数据。</translation>
    </message>
    <message>
        <source>shop-local day as YYYY-MM-DD (default: today)</source>
        <translation>门店当地日期，格式 YYYY-MM-DD（默认：今天）</translation>
    </message>
    <message>
        <source>where to write the PDF</source>
        <translation>PDF 的保存位置</translation>
    </message>
    <message>
        <source>replace --out even if it is not a PDF file</source>
        <translation>即使 --out 不是 PDF 文件也替换它</translation>
    </message>
    <message>
        <source>database maintenance</source>
        <translation>数据库维护</translation>
    </message>
    <message>
        <source>Database maintenance.</source>
        <translation>数据库维护。</translation>
    </message>
    <message>
        <source>create a new, empty shop database</source>
        <translation>新建一个空的门店数据库</translation>
    </message>
    <message>
        <source>Create a new database at --db with this program&apos;s schema (the only way, besides the first run on the default location, that FrontDesk creates a database file).</source>
        <translation>在 --db 处按本程序的结构新建数据库（除了在默认位置首次运行以外，FrontDesk 只有这一种方式会新建数据库文件）。</translation>
    </message>
    <message>
        <source>migrate the database to this version</source>
        <translation>把数据库升级到本版本</translation>
    </message>
    <message>
        <source>Upgrade an existing database: migrate it to this program&apos;s schema.</source>
        <translation>升级已有的数据库：迁移到本程序的结构。</translation>
    </message>
    <message>
        <source>back up the database</source>
        <translation>备份数据库</translation>
    </message>
    <message>
        <source>Copy the SQLite database with SQLite&apos;s online backup API (safe while the shop is working), by default into the backups folder with a timestamped name.</source>
        <translation>用 SQLite 的在线备份接口复制 SQLite 数据库（营业中也可以安全进行），默认放进备份文件夹，文件名带时间戳。</translation>
    </message>
    <message>
        <source>where to write the backup</source>
        <translation>备份的保存位置</translation>
    </message>
    <message>
        <source>replace the database with a backup</source>
        <translation>用备份替换数据库</translation>
    </message>
    <message>
        <source>Check a backup, back up the current database, then copy the backup into it.</source>
        <translation>先检查备份，再备份当前数据库，然后把备份复制过去。</translation>
    </message>
    <message>
        <source>the backup to restore</source>
        <translation>要恢复的备份</translation>
    </message>
    <message>
        <source>receipts of stored sales</source>
        <translation>已保存销售的小票</translation>
    </message>
    <message>
        <source>Receipts of stored sales.</source>
        <translation>已保存销售的小票。</translation>
    </message>
    <message>
        <source>print a copy of a stored receipt</source>
        <translation>补打已保存的小票</translation>
    </message>
    <message>
        <source>Send a copy of a stored receipt, marked COPY in the shop&apos;s language, to the receipt printer in the settings (a file printer writes the bytes to its file). The copy never opens the cash drawer, and the reprint is written to the audit log. Exit codes: 0 printed, 1 no such receipt, 3 no printer or the printer is unavailable.</source>
        <translation>把已保存的小票再打印一份，以门店语言标注“补打”，发送到设置中的小票打印机（文件打印机会把数据写入它的文件）。补打从不打开钱箱，并会记入操作日志。退出码：0 已打印，1 没有这张小票，3 没有打印机或打印机不可用。</translation>
    </message>
    <message>
        <source>receipt number, e.g. R-000123 or 123</source>
        <translation>小票号，例如 R-000123 或 123</translation>
    </message>
    <message>
        <source>list every setting with its value</source>
        <translation>列出所有设置及其当前值</translation>
    </message>
    <message>
        <source>List every setting, its current value and what it does.</source>
        <translation>列出每一项设置、它的当前值和作用。</translation>
    </message>
    <message>
        <source>No receipt printer is set up (set printer_kind in the settings file); the receipt was not reprinted.</source>
        <translation>还没有设置小票打印机（请在设置文件里设置 printer_kind），小票没有补打。</translation>
    </message>
    <message>
        <source>Receipt {number} reprinted as a copy on {printer}.</source>
        <translation>小票 {number} 已在 {printer} 补打。</translation>
    </message>
    <message>
        <source>{problem}; the receipt was not reprinted.</source>
        <translation>{problem}；小票没有补打。</translation>
    </message>
    <message>
        <source>{path} is a folder; give the demo database a file name.</source>
        <translation>{path} 是文件夹；请给演示数据库指定一个文件名。</translation>
    </message>
    <message>
        <source>{path} already exists; add --force to replace it.</source>
        <translation>{path} 已存在；要替换它，请加上 --force。</translation>
    </message>
    <message>
        <source>Demo spa ready in {seconds} s: {clients} clients, {staff} staff, {appointments} appointments, {sales} sales -&gt; {database}</source>
        <translation>演示门店已生成，用时 {seconds} 秒：顾客 {clients} 位，员工 {staff} 名，预约 {appointments} 个，销售 {sales} 笔 -&gt; {database}</translation>
    </message>
    <message>
        <source>Every demo staff member&apos;s PIN is {pin}.</source>
        <translation>所有演示员工的 PIN 码都是 {pin}。</translation>
    </message>
    <message>
        <source>{out} is a folder; give the report a file name, e.g. {example}</source>
        <translation>{out} 是文件夹；请给报表指定一个文件名，例如 {example}</translation>
    </message>
    <message>
        <source>cannot write {out}: {folder} is a file, not a folder.</source>
        <translation>无法写入 {out}：{folder} 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>cannot write {out}: the folder {folder} does not exist.</source>
        <translation>无法写入 {out}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <source>{out} exists and is not a PDF; add --force to replace it.</source>
        <translation>{out} 已存在，而且不是 PDF 文件；要替换它，请加上 --force。</translation>
    </message>
    <message>
        <source>cannot write {out}: {reason}.</source>
        <translation>无法写入 {out}：{reason}。</translation>
    </message>
    <message>
        <source>End-of-day report for {day} written to {out}</source>
        <translation>{day} 的日结报表已保存到 {out}</translation>
    </message>
    <message>
        <source>Backup of the day so far saved to {file}</source>
        <translation>今天到目前为止的备份已保存到 {file}</translation>
    </message>
    <message>
        <source>the backup of the day so far failed: {problem}</source>
        <translation>今天的备份失败：{problem}</translation>
    </message>
    <message>
        <source>{path} already exists; use `frontdesk db upgrade` to migrate it.</source>
        <translation>{path} 已存在；请用 `frontdesk db upgrade` 升级。</translation>
    </message>
    <message>
        <source>{database} already holds a FrontDesk database.</source>
        <translation>{database} 里已经有 FrontDesk 数据库。</translation>
    </message>
    <message>
        <source>New FrontDesk database created at {database} (schema {schema}).</source>
        <translation>已在 {database} 新建 FrontDesk 数据库（结构版本 {schema}）。</translation>
    </message>
    <message>
        <source>{database} is up to date (schema {schema}).</source>
        <translation>{database} 已是最新（结构版本 {schema}）。</translation>
    </message>
    <message>
        <source>{database} upgraded from an empty database to schema {after}.</source>
        <translation>{database} 已从空数据库升级到结构版本 {after}。</translation>
    </message>
    <message>
        <source>{database} upgraded from schema {before} to {after}.</source>
        <translation>{database} 已从结构版本 {before} 升级到 {after}。</translation>
    </message>
    <message>
        <source>Backed up {database} to {copy}</source>
        <translation>已将 {database} 备份到 {copy}</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file.</source>
        <translation>{path} 是文件夹，不是数据库文件。</translation>
    </message>
    <message>
        <source>{backup} is the database itself; name a backup file.</source>
        <translation>{backup} 就是数据库本身；请指定一个备份文件。</translation>
    </message>
    <message>
        <source>Restored {backup} into {database}.</source>
        <translation>已将 {backup} 恢复到 {database}。</translation>
    </message>
    <message>
        <source>Restored {backup} into {database}. The database as it was is saved in {saved}.</source>
        <translation>已将 {backup} 恢复到 {database}。恢复前的数据库已保存到 {saved}。</translation>
    </message>
    <message>
        <source>(default {value})</source>
        <translation>（默认 {value}）</translation>
    </message>
    <message>
        <source>Warning: {warning}</source>
        <translation>注意：{warning}</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
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
        <translation>FrontDesk：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong while {doing}. Nothing was half-saved; the log has the details under reference {reference}.</source>
        <translation>{doing}时出错了。不会有只保存了一半的数据；详细信息已记入日志，参考编号 {reference}。</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 码为 4 到 8 位数字。</translation>
    </message>
    <message>
        <source>A birthday cannot be in the future.</source>
        <translation>生日不能晚于今天。</translation>
    </message>
    <message>
        <source>A cancelled or missed appointment cannot be checked out.</source>
        <translation>已取消或顾客未到店的预约不能结账。</translation>
    </message>
    <message>
        <source>A card payment is for the exact amount due.</source>
        <translation>银行卡支付的金额必须与应收金额一致。</translation>
    </message>
    <message>
        <source>A price cannot be negative.</source>
        <translation>价格不能为负数。</translation>
    </message>
    <message>
        <source>A rate cannot be negative.</source>
        <translation>比率不能为负数。</translation>
    </message>
    <message>
        <source>A rate cannot be over 100 %.</source>
        <translation>比率不能超过 100%。</translation>
    </message>
    <message>
        <source>A sale needs at least one line.</source>
        <translation>一笔销售至少要有一个项目。</translation>
    </message>
    <message>
        <source>A value is too long or holds characters the database cannot store. Nothing was saved. (reference {reference})</source>
        <translation>有内容过长，或含有数据库无法保存的字符。未保存任何内容。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>Another client already has that card.</source>
        <translation>这张会员卡已绑定其他顾客。</translation>
    </message>
    <message>
        <source>Cannot connect to the database server {where}: {reason}</source>
        <translation>无法连接数据库服务器 {where}：{reason}</translation>
    </message>
    <message>
        <source>Cannot create the database {path}: {reason}.</source>
        <translation>无法创建数据库 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot create {database}: {reason}.</source>
        <translation>无法创建 {database}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot keep a copy of {database} before restoring: {reason}; nothing was replaced.</source>
        <translation>恢复前无法保留 {database} 的副本：{reason}；没有替换任何内容。</translation>
    </message>
    <message>
        <source>Cannot write a backup at {path}: {reason}.</source>
        <translation>无法在 {path} 写入备份：{reason}。</translation>
    </message>
    <message>
        <source>Choose mild, moderate or severe.</source>
        <translation>请选择轻度、中度或重度。</translation>
    </message>
    <message>
        <source>Enter a rate in per cent, e.g. 20.</source>
        <translation>请输入百分比，例如 20。</translation>
    </message>
    <message>
        <source>Enter an amount.</source>
        <translation>请输入金额。</translation>
    </message>
    <message>
        <source>Enter the client&apos;s first name.</source>
        <translation>请输入顾客的名字。</translation>
    </message>
    <message>
        <source>Name the preference (e.g. pressure).</source>
        <translation>请填写偏好项目（如：力度）。</translation>
    </message>
    <message>
        <source>Name what the client is allergic to.</source>
        <translation>请填写顾客对什么过敏。</translation>
    </message>
    <message>
        <source>No client has loyalty card {code}.</source>
        <translation>找不到持有会员卡 {code} 的顾客。</translation>
    </message>
    <message>
        <source>No such staff member.</source>
        <translation>没有这名员工。</translation>
    </message>
    <message>
        <source>Quantity must be at least 1.</source>
        <translation>数量至少为 1。</translation>
    </message>
    <message>
        <source>Refunds are not taken at checkout.</source>
        <translation>结账时不能办理退款。</translation>
    </message>
    <message>
        <source>Restoring {backup} did not finish within {seconds:.0f} s (the database stayed busy). The database as it was is saved in {safety}.</source>
        <translation>恢复 {backup} 未能在 {seconds:.0f} 秒内完成（数据库一直处于繁忙状态）。恢复前的数据库已保存到 {safety}。</translation>
    </message>
    <message>
        <source>Restoring {backup} into {database} failed ({reason}). The database as it was is saved in {safety}.</source>
        <translation>将 {backup} 恢复到 {database} 失败（{reason}）。恢复前的数据库已保存到 {safety}。</translation>
    </message>
    <message>
        <source>Say what the client prefers.</source>
        <translation>请填写顾客的具体偏好。</translation>
    </message>
    <message>
        <source>Sign in to take payments.</source>
        <translation>请先登录再收款。</translation>
    </message>
    <message>
        <source>That appointment no longer exists.</source>
        <translation>该预约已不存在。</translation>
    </message>
    <message>
        <source>That birthday is more than 120 years ago.</source>
        <translation>这个生日距今已超过 120 年。</translation>
    </message>
    <message>
        <source>That change conflicts with something already saved (perhaps at another terminal). Nothing was saved: reload and try again. (reference {reference})</source>
        <translation>此修改与已保存的内容冲突（可能是在另一台收银台上保存的）。未保存任何内容：请刷新后重试。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>That client no longer exists.</source>
        <translation>该顾客已不存在。</translation>
    </message>
    <message>
        <source>That is not a date (use YYYY-MM-DD).</source>
        <translation>这不是有效日期（请用 YYYY-MM-DD 格式）。</translation>
    </message>
    <message>
        <source>That is not a phone number.</source>
        <translation>这不是有效的电话号码。</translation>
    </message>
    <message>
        <source>That is not an e-mail address (name@example.com).</source>
        <translation>这不是有效的电子邮箱（例如 name@example.com）。</translation>
    </message>
    <message>
        <source>That staff member cannot sign in.</source>
        <translation>该员工无法登录。</translation>
    </message>
    <message>
        <source>The amount received cannot be negative.</source>
        <translation>实收金额不能为负数。</translation>
    </message>
    <message>
        <source>The amount received is less than the amount due.</source>
        <translation>实收金额少于应收金额。</translation>
    </message>
    <message>
        <source>The backup of {database} did not finish within {seconds:.0f} s (the database stayed busy); nothing was replaced.</source>
        <translation>{database} 的备份未能在 {seconds:.0f} 秒内完成（数据库一直处于繁忙状态）；没有替换任何内容。</translation>
    </message>
    <message>
        <source>The backup of {database} failed: {reason}.</source>
        <translation>{database} 备份失败：{reason}。</translation>
    </message>
    <message>
        <source>The connection to the database was lost. Nothing was saved: try again. (reference {reference})</source>
        <translation>与数据库的连接已断开。未保存任何内容，请重试。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>The database cannot be used just now. Nothing was saved: try again. (reference {reference})</source>
        <translation>数据库暂时无法使用。未保存任何内容，请重试。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>The database driver of “{url}” is not installed. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>未安装“{url}”所需的数据库驱动。FrontDesk 支持 SQLite 文件（填写文件路径）或 PostgreSQL 服务器（postgresql+psycopg://user:password@host/name）。</translation>
    </message>
    <message>
        <source>The database is busy with another terminal&apos;s work. Nothing was saved: try again in a moment. (reference {reference})</source>
        <translation>数据库正在处理另一台收银台的操作。未保存任何内容，请稍后重试。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>The database refused the change. Nothing was saved. (reference {reference})</source>
        <translation>数据库拒绝了此修改。未保存任何内容。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>The database setting is not a database URL. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>数据库设置不是有效的数据库 URL。FrontDesk 支持 SQLite 文件（填写文件路径）或 PostgreSQL 服务器（postgresql+psycopg://user:password@host/name）。</translation>
    </message>
    <message>
        <source>The database {path} cannot be read and written by this user. Check its permissions.</source>
        <translation>当前系统用户无法读写数据库 {path}，请检查文件权限。</translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. No backup of it was found in {folder}. Keep the file and ask for support.</source>
        <translation>
            <numerusform>数据库 {path} 已损坏：SQLite 完整性检查发现了 %n 处问题。为避免丢失更多数据，FrontDesk 不会使用它。在 {folder} 中没有找到它的备份。请保留该文件，并联系技术支持。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. No backup of it was found. Keep the file and ask for support.</source>
        <translation>
            <numerusform>数据库 {path} 已损坏：SQLite 完整性检查发现了 %n 处问题。为避免丢失更多数据，FrontDesk 不会使用它。没有找到它的备份。请保留该文件，并联系技术支持。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The database {path} is damaged: SQLite&apos;s integrity check found problems (%n). FrontDesk will not use it, so that nothing more is lost. The latest backup is {backup}. To go back to it, run: frontdesk restore {backup} --db {path}</source>
        <translation>
            <numerusform>数据库 {path} 已损坏：SQLite 完整性检查发现了 %n 处问题。为避免丢失更多数据，FrontDesk 不会使用它。最近的备份是 {backup}。如要恢复到该备份，请运行：frontdesk restore {backup} --db {path}</numerusform>
        </translation>
    </message>
    <message>
        <source>The database {path} is on a network share. SQLite cannot lock files safely there and sales could be lost. Keep the file on this computer, or let several terminals share a PostgreSQL server (--db postgresql+psycopg://...).</source>
        <translation>数据库 {path} 位于网络共享文件夹中。SQLite 在那里无法安全地锁定文件，销售记录可能会丢失。请把文件放在本机上；如需多台收银台共用数据，请使用 PostgreSQL 服务器（--db postgresql+psycopg://...）。</translation>
    </message>
    <message>
        <source>The database {where} cannot be opened: check the folder exists and is writable.</source>
        <translation>无法打开数据库 {where}：请检查文件夹是否存在、是否可写。</translation>
    </message>
    <message>
        <source>The database {where} cannot be used: {reason}</source>
        <translation>数据库 {where} 无法使用：{reason}</translation>
    </message>
    <message>
        <source>The database {where} is locked by another program. Close other copies of FrontDesk using it, or wait a moment and try again.</source>
        <translation>数据库 {where} 被其他程序锁定。请关闭正在使用它的其他 FrontDesk 窗口，或稍等片刻再试。</translation>
    </message>
    <message>
        <source>The disk holding the database is full. Nothing was saved: free some space. (reference {reference})</source>
        <translation>数据库所在的磁盘已满。未保存任何内容，请清理出一些空间。（参考编号 {reference}）</translation>
    </message>
    <message>
        <source>The first name is too long: at most {max_chars} characters, with letters such as ß counted twice.</source>
        <translation>名字太长：最多 {max_chars} 个字符（ß 等字母按两个字符计算）。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist.</source>
        <translation>文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <source>The last name is too long: at most {max_chars} characters, with letters such as ß counted twice.</source>
        <translation>姓氏太长：最多 {max_chars} 个字符（ß 等字母按两个字符计算）。</translation>
    </message>
    <message>
        <source>The receipt printer ({profile}) cannot print {characters} of the shop&apos;s language: they print as &apos;?&apos;.</source>
        <translation>小票打印机（{profile}）无法打印本店语言中的 {characters}：这些字会打印成“?”。</translation>
    </message>
    <message>
        <source>The receipt printer ({profile}) has no code page for {characters}: they print as pictures, which is slower.</source>
        <translation>小票打印机（{profile}）没有 {characters} 的代码页：这些字会以图片打印，速度较慢。</translation>
    </message>
    <message>
        <source>The shop&apos;s receipts are in Chinese but printer_chinese is off, and this computer has no font with Chinese to draw it: Chinese text prints as &apos;?&apos;. Install one (e.g. fonts-wqy-microhei), or set printer_chinese = true if the printer has a Chinese font.</source>
        <translation>本店小票使用中文，但 printer_chinese 未开启，而且这台电脑没有可绘制中文的字体：中文会打印成“?”。请安装一个中文字体（例如 fonts-wqy-microhei）；如果打印机自带中文字库，请设置 printer_chinese = true。</translation>
    </message>
    <message>
        <source>The shop&apos;s receipts are in Chinese but printer_chinese is off, so Chinese text prints as pictures, which is slower. Set printer_chinese = true if the printer has a Chinese font.</source>
        <translation>本店小票使用中文，但 printer_chinese 未开启，中文会以图片打印，速度较慢。如果打印机自带中文字库，请设置 printer_chinese = true。</translation>
    </message>
    <message>
        <source>The two PINs are not the same.</source>
        <translation>两次输入的 PIN 码不一致。</translation>
    </message>
    <message>
        <source>There is no backup file at {backup}.</source>
        <translation>{backup} 处没有备份文件。</translation>
    </message>
    <message>
        <source>There is no database at {database} to back up.</source>
        <translation>{database} 处没有可备份的数据库。</translation>
    </message>
    <message>
        <source>There is no database at {database} to restore into.</source>
        <translation>{database} 处没有数据库，无法恢复。</translation>
    </message>
    <message>
        <source>There is no database at {path}. Check the path for a typing mistake; to start a new shop there, run: frontdesk db init --db {path}</source>
        <translation>{path} 处没有数据库。请检查路径是否输错；如要在那里新建门店，请运行：frontdesk db init --db {path}</translation>
    </message>
    <message>
        <source>There is no sale with receipt number {number}.</source>
        <translation>找不到小票号为 {number} 的销售记录。</translation>
    </message>
    <message>
        <source>This appointment has already been paid.</source>
        <translation>该预约已经结账。</translation>
    </message>
    <message>
        <source>This database was updated by a newer version of FrontDesk (schema {revision}). Install that version or newer to open it.</source>
        <translation>此数据库已被更新版本的 FrontDesk 升级（结构版本 {revision}）。请安装该版本或更新的版本后再打开。</translation>
    </message>
    <message>
        <source>This is not a loyalty card number (4-32 letters, digits or dashes).</source>
        <translation>这不是有效的会员卡号（4–32 位字母、数字或短横线）。</translation>
    </message>
    <message>
        <source>This shop already has staff: sign in instead.</source>
        <translation>本店已有员工账号，请直接登录。</translation>
    </message>
    <message>
        <source>Too many backups of {database} in {folder} this second.</source>
        <translation>同一秒内在 {folder} 中生成的 {database} 备份过多。</translation>
    </message>
    <message>
        <source>Use at most {digits} decimal places.</source>
        <translation>最多保留 {digits} 位小数。</translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. Tries left before the account locks: %n.</source>
        <translation>
            <numerusform>PIN 码错误。还剩 %n 次机会，之后账号将被锁定。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. {name} is now locked for %n min.</source>
        <translation>
            <numerusform>PIN 码错误。{name} 的账号已锁定 %n 分钟。</numerusform>
        </translation>
    </message>
    <message>
        <source>Your role ({role}) does not allow this: {permission}.</source>
        <translation>您的角色（{role}）无权进行此操作：{permission}。</translation>
    </message>
    <message>
        <source>{backup} is damaged (its integrity check failed); it was not restored.</source>
        <translation>{backup} 已损坏（完整性检查未通过），未恢复。</translation>
    </message>
    <message>
        <source>{backup} is damaged; it was not restored.</source>
        <translation>{backup} 已损坏，未恢复。</translation>
    </message>
    <message>
        <source>{backup} is not a FrontDesk backup (it is not a SQLite file).</source>
        <translation>{backup} 不是 FrontDesk 备份（不是 SQLite 文件）。</translation>
    </message>
    <message>
        <source>{backup} is not a FrontDesk database; it was not restored.</source>
        <translation>{backup} 不是 FrontDesk 数据库，未恢复。</translation>
    </message>
    <message>
        <source>{backup} was made by a newer version of FrontDesk (schema {revision}); install that version to restore it.</source>
        <translation>{backup} 由更新版本的 FrontDesk 生成（结构版本 {revision}）；请安装该版本后再恢复。</translation>
    </message>
    <message>
        <source>{label} contains a broken character. Retype it.</source>
        <translation>{label}中有损坏的字符，请重新输入。</translation>
    </message>
    <message>
        <source>{label} contains a control character. Retype it without pasting.</source>
        <translation>{label}中有控制字符，请手动重新输入，不要粘贴。</translation>
    </message>
    <message>
        <source>{label} contains an invisible character (zero-width or text-direction). Retype it without pasting.</source>
        <translation>{label}中有不可见字符（零宽字符或文字方向符），请手动重新输入，不要粘贴。</translation>
    </message>
    <message>
        <source>{label} is at most {max_chars} characters.</source>
        <translation>{label}最多 {max_chars} 个字符。</translation>
    </message>
    <message numerus="yes">
        <source>{name} is locked after too many wrong PINs. Try again in %n min or ask a manager.</source>
        <translation>
            <numerusform>{name} 输错 PIN 码次数过多，账号已锁定。请 %n 分钟后再试，或联系店长。</numerusform>
        </translation>
    </message>
    <message>
        <source>{path} already exists; choose another name for the backup.</source>
        <translation>{path} 已存在；请给备份换一个文件名。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a database file.</source>
        <translation>{path} 是文件夹，不是数据库文件。</translation>
    </message>
    <message>
        <source>{path} is a folder: give the backup a file name.</source>
        <translation>{path} 是文件夹；请给备份指定一个文件名。</translation>
    </message>
    <message>
        <source>{path} is not a FrontDesk database (it is not a SQLite file).</source>
        <translation>{path} 不是 FrontDesk 数据库（不是 SQLite 文件）。</translation>
    </message>
    <message>
        <source>{received} received for {due} due looks like a typing mistake: enter the amount handed over.</source>
        <translation>应收 {due}，实收 {received}，可能输错了：请输入顾客实际给的金额。</translation>
    </message>
    <message>
        <source>{where} is not a FrontDesk database, or it is damaged.</source>
        <translation>{where} 不是 FrontDesk 数据库，或者已损坏。</translation>
    </message>
    <message>
        <source>“{name}” is not a time zone name.</source>
        <translation>“{name}”不是有效的时区名称。</translation>
    </message>
    <message>
        <source>“{text}” is ambiguous: this shop writes amounts like {example}.</source>
        <translation>“{text}”有歧义：本店的金额写法是 {example}。</translation>
    </message>
    <message>
        <source>“{text}” is not a rate in per cent.</source>
        <translation>“{text}”不是有效的百分比。</translation>
    </message>
    <message>
        <source>“{text}” is not an amount.</source>
        <translation>“{text}”不是有效金额。</translation>
    </message>
    <message>
        <source>“{text}” is too large for an amount.</source>
        <translation>金额“{text}”太大了。</translation>
    </message>
    <message>
        <source>“{url}” is not a database URL FrontDesk can use. FrontDesk works with a SQLite file (give its path) or a PostgreSQL server (postgresql+psycopg://user:password@host/name).</source>
        <translation>“{url}”不是 FrontDesk 可用的数据库 URL。FrontDesk 支持 SQLite 文件（填写文件路径）或 PostgreSQL 服务器（postgresql+psycopg://user:password@host/name）。</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Database URL or SQLite file path (default: user data dir)</source>
        <translation>数据库 URL 或 SQLite 文件路径（默认：用户数据文件夹）</translation>
    </message>
    <message>
        <source>Receipt printer: none, network, serial, usb or file</source>
        <translation>小票打印机：none、network、serial、usb 或 file</translation>
    </message>
    <message>
        <source>Network printer host name or IP address</source>
        <translation>网络打印机的主机名或 IP 地址</translation>
    </message>
    <message>
        <source>Network printer TCP port</source>
        <translation>网络打印机的 TCP 端口</translation>
    </message>
    <message>
        <source>Serial printer device, e.g. /dev/ttyUSB0 or COM3</source>
        <translation>串口打印机设备，例如 /dev/ttyUSB0 或 COM3</translation>
    </message>
    <message>
        <source>Serial printer baud rate</source>
        <translation>串口打印机波特率</translation>
    </message>
    <message>
        <source>USB printer vendor id (decimal or 0x hex in TOML)</source>
        <translation>USB 打印机厂商 ID（TOML 中可写十进制或 0x 开头的十六进制）</translation>
    </message>
    <message>
        <source>USB printer product id</source>
        <translation>USB 打印机产品 ID</translation>
    </message>
    <message>
        <source>File or device node to write receipts to (kind = file)</source>
        <translation>写入小票的文件或设备节点（printer_kind = file 时）</translation>
    </message>
    <message>
        <source>Characters per receipt line: 48 for 80 mm, 32 for 58 mm</source>
        <translation>小票每行字符数：80 毫米纸用 48，58 毫米纸用 32</translation>
    </message>
    <message>
        <source>python-escpos printer profile (code pages, cutter)</source>
        <translation>python-escpos 打印机配置（代码页、切纸刀）</translation>
    </message>
    <message>
        <source>Printer has a Chinese font (send GB18030 with FS &amp;)</source>
        <translation>打印机带中文字库（以 GB18030 发送，并加 FS &amp;）</translation>
    </message>
    <message>
        <source>Printer answers status queries (DLE EOT); false for one-way cables</source>
        <translation>打印机会回应状态查询（DLE EOT）；单向连接线请设为 false</translation>
    </message>
    <message>
        <source>This terminal&apos;s name: its printer prints only its own receipts (default: host name)</source>
        <translation>本收银台的名称：它的打印机只打印本台的小票（默认：主机名）</translation>
    </message>
    <message>
        <source>Serial port of the loyalty card scanner; empty for none</source>
        <translation>会员卡扫描器的串口；没有扫描器则留空</translation>
    </message>
    <message>
        <source>Scanner baud rate</source>
        <translation>扫描器波特率</translation>
    </message>
    <message>
        <source>Folder for the printer lock file (default: data dir)</source>
        <translation>打印机锁文件所在的文件夹（默认：数据文件夹）</translation>
    </message>
    <message>
        <source>Language of the window and messages: en, zh_CN or ru; empty for the shop&apos;s locale</source>
        <translation>窗口和提示信息的语言：en、zh_CN 或 ru；留空则跟随门店的地区设置</translation>
    </message>
    <message>
        <source>Log level: DEBUG, INFO, WARNING or ERROR</source>
        <translation>日志级别：DEBUG、INFO、WARNING 或 ERROR</translation>
    </message>
    <message>
        <source>Folder for database backups (default: &apos;backups&apos; beside the database file)</source>
        <translation>数据库备份文件夹（默认：数据库文件旁边的 backups 文件夹）</translation>
    </message>
    <message>
        <source>How many automatic backups (at quit and day close) to keep; older ones are deleted</source>
        <translation>保留几份自动备份（退出时和日结时生成）；更早的会被删除</translation>
    </message>
</context>
</TS>
