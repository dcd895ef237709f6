"""The demo's words: distinct proposals per contest (English and Simplified Chinese) and comment threads."""

# contest slug -> [(title, summary, body, category)]
IDEAS = {
    "clean-rivers": [
        (
            "Plant willows along the east bank",
            "Roots hold the soil and shade cools the water.",
            "Plant 400 willows between the mill and the footbridge, where the bank erodes fastest.",
            "Nature",
        ),
        (
            "Sensors at every storm outflow",
            "Publish live readings so pollution is seen the hour it happens.",
            "Twelve outflows, one sensor each, readings on the open data page every ten minutes.",
            "Technology",
        ),
        (
            "Saturday clean-ups with free tools",
            "Monthly clean-ups with gloves, grabbers and a picnic.",
            "The department lends tools and collects the bags; schools and clubs sign up for a stretch.",
            "Community",
        ),
        (
            "Polluters pay into a repair fund",
            "Fines go to a fund that fixes the damage they cause.",
            "Every fine for illegal discharge is earmarked for restoring the stretch that was harmed.",
            "Policy",
        ),
        (
            "在河边建设雨水花园",
            "在河岸和道路之间建设雨水花园，雨水先渗入土壤再流入河流。",
            "试点三个街区：雨水花园可以过滤路面的油污和垃圾，减少暴雨时直接冲进河流的污水。",
            "Nature",
        ),
        (
            "学校认领一段河流",
            "每所学校认领一段河道，每学期记录水质并公布结果。",
            "学生学习测量水质，家长和老师组织清理活动，结果在学校网站和河流数据页面公开。",
            "Community",
        ),
    ],
    "safer-crossings": [
        (
            "Raised zebra crossing at Elm Primary",
            "A raised crossing slows cars right where children cross.",
            "The crossing at the main gate sees 300 children each morning; a raised table makes drivers slow down.",
            "Infrastructure",
        ),
        (
            "School streets closed at drop-off",
            "Close the street to cars for 30 minutes at the start and end of school.",
            "Residents keep access; everyone else parks two streets away and walks the last few minutes.",
            "Policy",
        ),
        (
            "Crossing guards for the ring road",
            "Paid crossing guards at the three busiest junctions.",
            "Volunteers cannot cover the ring road safely; three paid posts cost less than one accident.",
            "Community",
        ),
        (
            "Flashing signs when children are near",
            "Signs that light up at school times and show drivers their speed.",
            "Speed-feedback signs cut average speeds by 5 km/h in the pilot streets.",
            "Technology",
        ),
        (
            "上学路上增设安全岛",
            "在宽马路中间设置安全岛，孩子们可以分两段过马路。",
            "人民路和建设路路口宽度超过二十米，孩子一次走不完，安全岛让过马路更安全。",
            "Infrastructure",
        ),
        (
            "放学时段限速二十公里",
            "学校周边道路在上下学时段限速每小时二十公里。",
            "配合醒目的路面标识和测速提示，让司机在学校附近自觉减速。",
            "Policy",
        ),
    ],
    "night-buses": [
        (
            "N1 from the station to the hospital",
            "Night shifts start and end when no bus runs.",
            "A bus every 30 minutes from midnight to 5 am between the central station and the General Hospital.",
            "Routes",
        ),
        (
            "Night buses on Friday and Saturday to the suburbs",
            "Get home from the city centre safely at the weekend.",
            "Two loops, north and south, leaving the square at 1 am, 2 am and 3 am.",
            "Routes",
        ),
        (
            "Request stops after 10 pm",
            "Let passengers get off between stops at night.",
            "Drivers stop anywhere safe on the route when asked, so nobody walks far in the dark.",
            "Safety",
        ),
        (
            "Live arrival screens at night stops",
            "Show when the next night bus really comes.",
            "Screens at the twenty busiest night stops, fed by the buses' own positions.",
            "Information",
        ),
        (
            "夜班车覆盖大学城",
            "大学城晚上没有公交车，学生只能打车回宿舍。",
            "建议开通从市中心到大学城的夜班线路，每小时一班，运行到凌晨两点。",
            "Routes",
        ),
        (
            "夜班车站点增加照明",
            "夜间站点光线太暗，等车的人感到不安全。",
            "为所有夜班车站点安装太阳能照明灯和紧急呼叫按钮。",
            "Safety",
        ),
    ],
    "pocket-parks": [
        (
            "A wildflower corner on Mill Lane",
            "Turn the empty lot into a meadow for bees and neighbours.",
            "Wildflowers, two benches and a bee hotel; neighbours water it in summer.",
            "Green",
        ),
        (
            "Table tennis and chess on Station Square",
            "Stone tables that anyone can use, day and night.",
            "Two concrete tennis tables and four chess tables under the plane trees.",
            "Play",
        ),
        (
            "A community orchard behind the library",
            "Apple and pear trees whose fruit anyone may pick.",
            "Twenty fruit trees, looked after by the library's gardening club.",
            "Green",
        ),
        (
            "A tiny playground for toddlers",
            "Safe, fenced play for the under-fives.",
            "Sand, a low slide and soft ground on the corner lot of Oak Street.",
            "Play",
        ),
        (
            "把空地改成社区菜园",
            "居民可以申请一小块地种菜，老人和孩子一起劳动。",
            "菜园设置工具房和雨水收集桶，每季度举办一次收获分享会。",
            "Green",
        ),
        (
            "街角口袋公园加装遮阳座椅",
            "夏天太热，老人在街角没有地方休息。",
            "在口袋公园安装带遮阳棚的座椅和饮水点，方便附近居民乘凉聊天。",
            "Play",
        ),
    ],
    "quiet-streets": [
        (
            "20 km/h zones in residential streets",
            "Slower traffic is quieter traffic.",
            "A 20 km/h limit in every street that is not a through road, with signs at each entrance.",
            "Traffic",
        ),
        (
            "Quiet asphalt when streets are resurfaced",
            "Low-noise surfaces halve tyre noise.",
            "Use porous low-noise asphalt whenever a residential street is resurfaced anyway.",
            "Infrastructure",
        ),
        (
            "No lorries through the old town at night",
            "Deliveries before 10 pm or after 6 am only.",
            "A night ban for vehicles over 7.5 t, with exemptions for emergencies.",
            "Traffic",
        ),
        (
            "Trees and hedges as noise barriers",
            "Green barriers along the ring road.",
            "A double hedge and a row of trees where the ring road passes the houses of Park Row.",
            "Nature",
        ),
        (
            "居民区禁止夜间鸣笛",
            "晚上十点后居民区内禁止机动车鸣笛。",
            "设置禁鸣标志和声呐抓拍设备，违者处罚，让居民晚上睡个好觉。",
            "Traffic",
        ),
        (
            "噪音地图公开上线",
            "在网上公布每条街道的噪音测量结果。",
            "安装噪音监测点，每月更新噪音地图，居民可以看到治理前后的变化。",
            "Information",
        ),
    ],
    "playground-design": [
        (
            "Swings for wheelchair users",
            "Every child can swing, whatever their wheels.",
            "One platform swing per playground, with a ramp and a safety bar.",
            "Equipment",
        ),
        (
            "Quiet corners for children who need a break",
            "A calm space away from the noise.",
            "A small shaded nook with soft seats at the edge of each playground.",
            "Design",
        ),
        (
            "Sensory panels along the fence",
            "Sounds, textures and colours to explore.",
            "Chimes, mirrors and textured panels at child height along the fence.",
            "Equipment",
        ),
        (
            "Smooth paths to every play area",
            "No gravel between the gate and the slide.",
            "Rubber paths wide enough for wheelchairs and buggies to reach every area.",
            "Design",
        ),
        (
            "增加无障碍沙池",
            "抬高的沙池让坐轮椅的孩子也能玩沙子。",
            "沙池高度七十厘米，下方留空，轮椅可以推进去，旁边设置洗手池。",
            "Equipment",
        ),
        (
            "游乐场标识使用图画",
            "用图画代替文字，让不识字的孩子也能看懂。",
            "入口处设置图画地图，每个游乐设施旁边用图标说明适合的年龄。",
            "Design",
        ),
    ],
}

COMMENTS = [
    "This would make a real difference on my street.",
    "How much would it cost, and who maintains it afterwards?",
    "We tried something similar in our neighbourhood and it worked well.",
    "I support this, but please start with the busiest places.",
    "Could the agency publish the numbers behind this?",
    "这个建议很实用，希望尽快落实。",
    "我家就住在附近，非常需要这个。",
    "建议先在一个街区试点，看看效果。",
]

REPLIES = [
    "Good question: the summary says the department would maintain it.",
    "Agreed, a pilot first makes sense.",
    "同意，可以先试点再推广。",
    "I live nearby too; count me in to help.",
]

REVIEW_COMMENTS = [
    "Clear benefit for many residents; the cost estimate is credible.",
    "Good idea, but the plan needs more detail on maintenance.",
    "Strong community support; feasible within a year.",
    "Impact is limited to one area; still worth a pilot.",
]

ANSWERS = {
    "under_review": "Thank you. Our engineers are costing this idea and will report back next month.",
    "shortlisted": "Shortlisted: the jury will look at this proposal closely.",
    "winner": "This proposal is one of the winners chosen by the jury.",
    "adopted": "Adopted: the work is in next year's budget.",
    "implemented": "Done: the work was completed this spring. Thank you for the idea.",
    "declined": "We cannot do this now: the street belongs to the regional road authority. We passed it on to them.",
}
