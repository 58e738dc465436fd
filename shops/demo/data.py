"""The demo catalogue as data: places, categories, product lines and shops."""

from dataclasses import dataclass
from decimal import Decimal

from shops.models import Listing

# --- Places: (province, city[, county[, village]]), households of a village -------------------

PLACES: list[tuple[tuple[str, ...], int | None]] = [
    (("浙江省", "金华市", "义乌市", "青岩刘村"), 1720),
    (("浙江省", "杭州市", "临安区", "白牛村"), 570),
    (("浙江省", "湖州市", "安吉县"), None),
    (("浙江省", "丽水市", "缙云县", "北山村"), 460),
    (("江苏省", "徐州市", "睢宁县", "东风村"), 1180),  # 沙集镇, flat-pack furniture
    (("江苏省", "宿迁市", "沭阳县", "堰下村"), 930),
    (("山东省", "菏泽市", "曹县", "丁楼村"), 290),  # 大集镇, costumes and hanfu
    (("福建省", "泉州市", "安溪县", "灶美村"), 610),  # 尚卿乡, rattan-and-iron crafts
    (("河北省", "保定市", "白沟新城"), None),
    (("广东省", "揭阳市", "揭东区", "军埔村"), 490),
    (("云南省", "普洱市", "思茅区"), None),
    (("四川省", "成都市", "郫都区", "农科村"), 660),
    (("贵州省", "黔东南苗族侗族自治州", "雷山县", "西江村"), 1430),
    (("陕西省", "延安市", "洛川县"), None),
]

# --- Categories: (slug, name, parent slug) ----------------------------------------------------

CATEGORIES: list[tuple[str, str, str | None]] = [
    ("clothing", "服装", None),
    ("womens", "女装", "clothing"),
    ("dresses", "连衣裙", "womens"),
    ("womens-tops", "T恤", "womens"),
    ("mens", "男装", "clothing"),
    ("mens-shirts", "衬衫", "mens"),
    ("hanfu", "汉服", "clothing"),
    ("costumes", "演出服", "clothing"),
    ("food", "食品", None),
    ("tea", "茶叶", "food"),
    ("oolong-tea", "乌龙茶", "tea"),
    ("puer-tea", "普洱茶", "tea"),
    ("nuts", "坚果", "food"),
    ("condiments", "调味品", "food"),
    ("local-specialties", "特产", "food"),
    ("home", "家居", None),
    ("bamboo-crafts", "竹编", "home"),
    ("furniture", "家具", "home"),
    ("rattan-iron-crafts", "藤铁工艺", "home"),
    ("electronics-accessories", "数码配件", None),
    ("phone-cases", "手机壳", "electronics-accessories"),
    ("cables-chargers", "数据线", "electronics-accessories"),
    ("bags", "箱包", None),
    ("backpacks", "双肩包", "bags"),
    ("handbags", "女包", "bags"),
    ("farm-produce", "农产品", None),
    ("fruit", "水果", "farm-produce"),
    ("jewellery", "饰品", None),
    ("silver-jewellery", "银饰", "jewellery"),
    ("embroidery", "刺绣", "jewellery"),
    ("virtual-goods", "虚拟商品", None),
    ("phone-top-up", "话费充值", "virtual-goods"),
    ("e-vouchers", "电子券", "virtual-goods"),
]

# The background of a listing's pictures, by top-level category.
COLOURS = {
    "clothing": (214, 96, 120),
    "food": (116, 150, 72),
    "home": (176, 132, 84),
    "electronics-accessories": (70, 110, 180),
    "bags": (120, 90, 150),
    "farm-produce": (220, 150, 50),
    "jewellery": (150, 160, 175),
    "virtual-goods": (40, 160, 160),
}

PROTECTED_BRANDS = ["Nike", "耐克", "Adidas", "阿迪达斯", "Louis Vuitton", "Gucci", "Chanel"]
PROHIBITED_TERMS = [
    ("高仿", "Replicas of branded goods are not allowed."),
    ("原单", "“Original order” is code for counterfeit goods."),
    ("减肥药", "Slimming drugs need a licence the marketplace does not check."),
    ("仿真枪", "Replica guns are prohibited."),
]


def _options(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# --- Product lines: how one kind of product is titled, priced and varied ----------------------


@dataclass(frozen=True)
class Variant:
    """A variant attribute. ``pick`` > 0 offers a random ``pick`` of the values (colours);
    ``factors`` scale the price per value (500g costs more than 250g). A listing without a grid
    takes one value and names it in its title through the ``{key}`` slot."""

    key: str
    name: str
    values: tuple[str, ...]
    factors: tuple[Decimal, ...] = ()
    pick: int = 0


@dataclass(frozen=True)
class ProductLine:
    category: str
    patterns: tuple[str, ...]
    words: dict[str, tuple[str, ...]]
    price: tuple[int, int]
    blurb: str
    variants: tuple[Variant, ...] = ()
    grid_share: float = 0.6
    shipping: str = Listing.ShippingMethod.EXPRESS
    post_share: float = 0.1


def _factors(*values: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(value) for value in values)


COLOUR = Variant("colour", "颜色", _options("黑色|白色|杏色|雾霾蓝|酒红色|燕麦色|墨绿色"), pick=3)
SIZE = Variant("size", "尺码", _options("S|M|L|XL"))
KIDS_SIZE = Variant("size", "尺码", _options("110cm|120cm|130cm|140cm|150cm"))
TEA_WEIGHT = Variant("weight", "重量", _options("250g|500g|1000g"), _factors("1", "1.9", "3.6"))
NUT_WEIGHT = Variant("weight", "重量", _options("250g|500g"), _factors("1", "1.9"))
FRUIT_WEIGHT = Variant("weight", "规格", _options("5斤装|10斤装"), _factors("1", "1.8"))
BASKET_SIZE = Variant("size", "尺寸", _options("小号|中号|大号"), _factors("1", "1.4", "1.9"))

LINES: dict[str, ProductLine] = {
    "dresses": ProductLine(
        category="dresses",
        patterns=_options("{style}{cut}连衣裙 {season}|{en_style} {en_cut} dress, {en_season}"),
        words={
            "style": _options("韩版|法式|复古|气质|简约|森系|新中式"),
            "cut": _options("修身|碎花|雪纺|针织|收腰|A字|方领|长款"),
            "season": _options("夏季新款|春秋款|显瘦|度假风|通勤|2024新款"),
            "en_style": _options("Korean-style|French|Vintage|Minimalist|Boho"),
            "en_cut": _options("floral midi|chiffon|knit|wrap|A-line|square-neck"),
            "en_season": _options("summer|spring|new season|holiday"),
        },
        price=(59, 199),
        blurb="军埔村自家工厂直发，七天无理由退换。",
        variants=(COLOUR, SIZE),
        grid_share=0.85,
    ),
    "tops": ProductLine(
        category="womens-tops",
        patterns=_options("{style}纯棉短袖T恤 女 {fit}|Cotton {en_fit} T-shirt, {en_print}"),
        words={
            "style": _options("ins风|印花|字母|纯色|条纹|刺绣"),
            "fit": _options("宽松|修身|短款|百搭|oversize"),
            "en_fit": _options("relaxed|slim-fit|cropped|oversized"),
            "en_print": _options("plain|striped|letter print|embroidered"),
        },
        price=(19, 69),
        blurb="精梳棉面料，可机洗。",
        variants=(COLOUR, SIZE),
        grid_share=0.8,
    ),
    "hanfu": ProductLine(
        category="hanfu",
        patterns=_options("{dynasty}汉服 {item} {style}|{en_dynasty} hanfu {en_item}"),
        words={
            "dynasty": _options("明制|宋制|唐制|魏晋风"),
            "item": _options("马面裙|齐胸襦裙|褙子|圆领袍|对襟襦裙"),
            "style": _options("日常款|织金|刺绣|新中式|春夏款"),
            "en_dynasty": _options("Ming-style|Song-style|Tang-style"),
            "en_item": _options("horse-face skirt|ruqun set|round-collar robe|beizi jacket"),
        },
        price=(129, 599),
        blurb="曹县丁楼村汉服工坊手工缝制，支持定制尺码。",
        variants=(Variant("colour", "颜色", _options("朱红|天青|月白|墨黑|藕粉"), pick=2), SIZE),
        grid_share=0.7,
    ),
    "costumes": ProductLine(
        category="costumes",
        patterns=_options("儿童{show}演出服 {item}|Kids' {en_show} costume, {en_item}"),
        words={
            "show": _options("舞蹈|合唱|六一|民族舞|拉丁舞"),
            "item": _options("蓬蓬裙|套装|亮片裙|表演服"),
            "en_show": _options("dance|choir|stage|folk dance"),
            "en_item": _options("tutu dress|two-piece set|sequin dress"),
        },
        price=(39, 159),
        blurb="学校、幼儿园批量订购可议价。",
        variants=(KIDS_SIZE,),
        grid_share=0.7,
    ),
    "oolong": ProductLine(
        category="oolong-tea",
        patterns=_options(
            "安溪铁观音 {aroma} {grade} {weight}|Anxi Tieguanyin oolong tea, {en_aroma} {weight}"
        ),
        words={
            "aroma": _options("浓香型|清香型|韵香型|炭焙"),
            "grade": _options("特级|一级|新茶|春茶|秋茶|礼盒装"),
            "en_aroma": _options("roasted|fresh|orchid-scented|charcoal-baked"),
        },
        price=(68, 298),
        blurb="安溪茶农自产自销，当季新茶真空小包装。",
        variants=(TEA_WEIGHT,),
        grid_share=0.5,
    ),
    "rattan": ProductLine(
        category="rattan-iron-crafts",
        patterns=_options("藤铁工艺 {item} {style}|Rattan and iron {en_item}, {en_style}"),
        words={
            "item": _options("花架|收纳篮|壁挂|置物架|杂志架|灯罩"),
            "style": _options("北欧风|田园风|复古|手工编织"),
            "en_item": _options("plant stand|storage basket|wall shelf|magazine rack|lampshade"),
            "en_style": _options("handmade|rustic|Nordic style"),
        },
        price=(39, 329),
        blurb="尚卿乡灶美村藤铁工艺，纯手工编织焊接。",
        post_share=0.25,
    ),
    "puer": ProductLine(
        category="puer-tea",
        patterns=_options(
            "云南普洱茶 {kind} {year}年 {form}|Yunnan Pu'er {en_kind} tea cake, {year} 357g"
        ),
        words={
            "kind": _options("生茶|熟茶|古树|老班章"),
            "year": _options("2015|2016|2017|2018|2019|2020|2021|2022"),
            "form": _options("饼茶357g|沱茶|散茶500g|小金砖"),
            "en_kind": _options("raw|ripe|ancient-tree"),
        },
        price=(88, 680),
        blurb="思茅茶山直采，干仓存放。",
        variants=(Variant("pack", "规格", _options("单饼|整提7饼"), _factors("1", "6.5")),),
        grid_share=0.3,
    ),
    "nuts": ProductLine(
        category="nuts",
        patterns=_options(
            "临安山核桃 {flavour} {weight}|{kind} {weight} 临安特产|"
            "Lin'an hickory nuts, {en_flavour}, {weight}"
        ),
        words={
            "flavour": _options("手剥|椒盐味|奶油味|原味|小包装"),
            "kind": _options("山核桃仁|碧根果|香榧"),
            "en_flavour": _options("hand-cracked|salted|cream-flavoured|plain"),
        },
        price=(35, 128),
        blurb="白牛村当年新货，每日现炒现发。",
        variants=(NUT_WEIGHT,),
        grid_share=0.5,
    ),
    "condiments": ProductLine(
        category="condiments",
        patterns=_options(
            "郫县豆瓣酱 {kind} {weight}|四川{pepper}花椒 {weight}|Pixian chili bean paste, {en}"
        ),
        words={
            "kind": _options("红油|三年陈酿|一级|家庭装|特级"),
            "weight": _options("500g|1kg|2.5kg"),
            "pepper": _options("汉源|大红袍|青"),
            "en": _options("aged 3 years|1kg jar|family size|extra hot"),
        },
        price=(12, 58),
        blurb="郫县本地作坊，传统晒露发酵。",
    ),
    "snacks": ProductLine(
        category="local-specialties",
        patterns=_options("成都特产 {snack} {pack}|Chengdu {en_snack}, {pack}"),
        words={
            "snack": _options("灯影牛肉|麻辣兔头|张飞牛肉|冷吃兔|牛皮糖"),
            "pack": _options("250g|礼盒装|小包装|家庭装"),
            "en_snack": _options("spicy beef jerky|cold-eaten rabbit|sesame candy"),
        },
        price=(19, 99),
        blurb="真空包装，开袋即食。",
    ),
    "vouchers": ProductLine(
        category="e-vouchers",
        patterns=_options("农科村农家乐 {meal}|Farm-stay {en_meal} voucher"),
        words={
            "meal": _options("双人午餐券|四人套餐券|周末采摘体验券|亲子一日游券"),
            "en_meal": _options("lunch for two|family dinner|fruit picking"),
        },
        price=(58, 298),
        blurb="电子券，下单后发送券码，有效期 90 天。",
        shipping=Listing.ShippingMethod.VIRTUAL,
    ),
    "bamboo": ProductLine(
        category="bamboo-crafts",
        patterns=_options("手工竹编{item} {use}|Hand-woven bamboo {en_item}"),
        words={
            "item": _options("收纳篮|果盘|提篮|面包篮|茶盘|蒸笼"),
            "use": _options("家用|厨房|野餐|带盖|日式"),
            "en_item": _options(
                "basket|fruit tray|storage box with lid|picnic basket|tea tray|steamer"
            ),
        },
        price=(19, 129),
        blurb="安吉毛竹，老师傅手工编织。",
        variants=(BASKET_SIZE,),
        grid_share=0.5,
        post_share=0.3,
    ),
    "furniture": ProductLine(
        category="furniture",
        patterns=_options("{style}{item} {material}|{en_style} {en_item}, easy assembly"),
        words={
            "style": _options("简约|北欧|现代|小户型|日式"),
            "item": _options("书桌|电视柜|鞋柜|床头柜|书架|衣柜|餐边柜"),
            "material": _options("实木色|板式|免安装|环保板材"),
            "en_style": _options("Compact|Nordic|Modern|Japanese-style"),
            "en_item": _options("desk|TV cabinet|shoe cabinet|bedside table|bookshelf"),
        },
        price=(89, 899),
        blurb="沙集镇工厂直发，物流送货上门，附安装视频。",
        variants=(Variant("colour", "颜色", _options("胡桃色|白橡色|暖白色|原木色"), pick=2),),
        grid_share=0.6,
    ),
    "phone_cases": ProductLine(
        category="phone-cases",
        patterns=_options("{style}手机壳 {feature}|{en_feature} clear phone case, {en_style}"),
        words={
            "style": _options("卡通|透明|磨砂|ins风|液态硅胶|国潮"),
            "feature": _options("防摔|全包|镜头保护|磁吸"),
            "en_feature": _options("Shockproof|Slim|Magnetic|Matte"),
            "en_style": _options("cartoon print|plain|glitter"),
        },
        price=(9, 39),
        blurb="义乌源头工厂，下单 48 小时内发货。",
        variants=(
            Variant("model", "型号", _options("iPhone 15|iPhone 15 Pro|华为 Mate 60|小米 14")),
            Variant("colour", "颜色", _options("透明|黑色|粉色|天蓝"), pick=2),
        ),
        grid_share=0.9,
    ),
    "cables": ProductLine(
        category="cables-chargers",
        patterns=_options("{kind}数据线 {feature}|USB-C fast charging cable, {en_feature}"),
        words={
            "kind": _options("Type-C快充|苹果|三合一|编织"),
            "feature": _options("66W|加长|弯头|2条装"),
            "en_feature": _options("braided|66W|right-angle|2-pack"),
        },
        price=(9, 49),
        blurb="义乌仓库发货，一年只换不修。",
        variants=(Variant("length", "长度", _options("1m|1.5m|2m"), _factors("1", "1.2", "1.5")),),
        grid_share=0.6,
    ),
    "top_up": ProductLine(
        category="phone-top-up",
        patterns=_options("全国{carrier}话费充值 {speed}|Mobile top-up, {en_carrier}"),
        words={
            "carrier": _options("移动|联通|电信"),
            "speed": _options("快充|24小时到账|自动充值"),
            "en_carrier": _options("China Mobile|China Unicom|China Telecom"),
        },
        price=(10, 10),
        blurb="虚拟商品，付款后自动充值，无需发货。",
        variants=(
            Variant("amount", "面额", _options("30元|50元|100元"), _factors("3", "5", "10")),
        ),
        grid_share=1,
        shipping=Listing.ShippingMethod.VIRTUAL,
    ),
    "backpacks": ProductLine(
        category="backpacks",
        patterns=_options("{style}双肩包 {feature}|{en_feature} laptop backpack, 15.6 inch"),
        words={
            "style": _options("男士商务|学生|大容量|旅行|轻便"),
            "feature": _options("防泼水|USB充电口|电脑包|简约"),
            "en_feature": _options("Waterproof|Anti-theft|Lightweight|Expandable"),
        },
        price=(49, 239),
        blurb="白沟箱包城源头货，五金件一年保修。",
        variants=(Variant("colour", "颜色", _options("黑色|深灰|藏青|酒红"), pick=3),),
        grid_share=0.7,
    ),
    "handbags": ProductLine(
        category="handbags",
        patterns=_options("{style}女包 {item} {season}|{en_style} {en_item}"),
        words={
            "style": _options("小众设计|通勤|复古|法式|百搭"),
            "item": _options("斜挎包|托特包|腋下包|水桶包|链条包"),
            "season": _options("新款|大容量|2024|简约"),
            "en_style": _options("Vegan leather|Canvas|Quilted|Woven"),
            "en_item": _options("crossbody bag|tote bag|shoulder bag|bucket bag"),
        },
        price=(39, 259),
        blurb="白沟实体档口，支持退换。",
        variants=(COLOUR,),
        grid_share=0.6,
    ),
    "silver": ProductLine(
        category="silver-jewellery",
        patterns=_options("苗族手工银饰 {item} {style}|Handmade Miao silver {en_item}"),
        words={
            "item": _options("耳环|手镯|项链|戒指|发簪|银锁"),
            "style": _options("纯银|复古|民族风|錾刻|蝴蝶纹"),
            "en_item": _options("earrings|bracelet|pendant necklace|ring|hairpin"),
        },
        price=(68, 880),
        blurb="西江千户苗寨银匠世家手工锻打。",
    ),
    "embroidery": ProductLine(
        category="embroidery",
        patterns=_options("苗绣手工刺绣 {item}|Miao hand-embroidered {en_item}"),
        words={
            "item": _options("手帕|杯垫|挂画|零钱包|抱枕套|书签"),
            "en_item": _options("handkerchief|coasters|wall hanging|coin purse|cushion cover"),
        },
        price=(29, 399),
        blurb="苗族绣娘一针一线手工绣制，每件略有不同。",
    ),
    "apples": ProductLine(
        category="fruit",
        patterns=_options(
            "洛川红富士苹果 {grade} {weight}|Luochuan Fuji apples, {en_grade} {weight}"
        ),
        words={
            "grade": _options("现摘|脆甜|新鲜|一级果|礼盒装|丑苹果"),
            "en_grade": _options("fresh-picked|crisp|gift box|premium"),
        },
        price=(29, 79),
        blurb="洛川塬上果园现摘现发，坏果包赔。",
        variants=(FRUIT_WEIGHT,),
        grid_share=0.5,
        post_share=0.15,
    ),
    "apple_snacks": ProductLine(
        category="local-specialties",
        patterns=_options("洛川{snack} {pack}|Luochuan {en_snack}, {pack}"),
        words={
            "snack": _options("苹果脆片|苹果干|苹果醋|苹果汁"),
            "pack": _options("250g|礼盒装|6瓶装|小包装"),
            "en_snack": _options("apple chips|dried apple rings|apple cider vinegar"),
        },
        price=(15, 69),
        blurb="洛川苹果自家加工，无添加。",
    ),
}


@dataclass(frozen=True)
class DemoShop:
    username: str
    name: str
    slug: str
    place: str  # the last name of one of PLACES
    lines: tuple[str, ...]
    description: str
    with_logo: bool = False
    phone: str = ""


SHOPS = [
    DemoShop(
        "seller_yiwu",
        "青岩刘好物小铺",
        "qingyanliu-goods",
        "青岩刘村",
        ("phone_cases", "cables", "top_up", "tops"),
        "义乌青岩刘村的夫妻店，手机配件、数据线和话费充值，当天发货。",
        with_logo=True,
        phone="0579-8555 0101",
    ),
    DemoShop(
        "seller_bainiu",
        "白牛村山核桃",
        "bainiu-hickory",
        "白牛村",
        ("nuts",),
        "临安白牛村三代炒货手艺，山核桃、碧根果现炒现发。",
    ),
    DemoShop(
        "seller_anji",
        "安吉竹艺坊",
        "anji-bamboo",
        "安吉县",
        ("bamboo",),
        "Bamboo baskets and trays hand-woven by a family workshop in Anji. 安吉毛竹手工竹编。",
        with_logo=True,
    ),
    DemoShop(
        "seller_shaji",
        "沙集简约家具",
        "shaji-furniture",
        "东风村",
        ("furniture",),
        "睢宁县沙集镇东风村，板式家具工厂店，全国物流。",
    ),
    DemoShop(
        "seller_caoxian",
        "丁楼村汉服工坊",
        "dinglou-hanfu",
        "丁楼村",
        ("hanfu", "costumes"),
        "曹县大集镇丁楼村，汉服和儿童演出服，支持学校团购。",
        with_logo=True,
    ),
    DemoShop(
        "seller_anxi",
        "灶美藤铁茶庄",
        "zaomei-tea-crafts",
        "灶美村",
        ("oolong", "rattan"),
        "安溪县尚卿乡灶美村：自家茶园的铁观音，还有村里的藤铁工艺。",
    ),
    DemoShop(
        "seller_baigou",
        "白沟箱包直营",
        "baigou-bags",
        "白沟新城",
        ("backpacks", "handbags"),
        "白沟箱包城二十年老档口，双肩包、女包批发零售。",
    ),
    DemoShop(
        "seller_junpu",
        "军埔女装",
        "junpu-womenswear",
        "军埔村",
        ("dresses", "tops"),
        "揭阳军埔村电商女装，自家工厂，每周上新。",
        with_logo=True,
        phone="0663-3355 0202",
    ),
    DemoShop(
        "seller_puer",
        "思茅普洱茶庄",
        "simao-puer",
        "思茅区",
        ("puer",),
        "Pu'er tea from the hills around Simao, stored dry. 普洱茶山直采。",
    ),
    DemoShop(
        "seller_pidu",
        "农科村乡味",
        "nongke-flavours",
        "农科村",
        ("condiments", "snacks", "vouchers"),
        "郫都区农科村：郫县豆瓣、成都特产，还有农家乐电子券。",
    ),
    DemoShop(
        "seller_xijiang",
        "西江苗银苗绣",
        "xijiang-miao-silver",
        "西江村",
        ("silver", "embroidery"),
        "Handmade Miao silver and embroidery from Xijiang. 西江千户苗寨银匠与绣娘。",
    ),
    DemoShop(
        "seller_luochuan",
        "洛川果园",
        "luochuan-orchard",
        "洛川县",
        ("apples", "apple_snacks"),
        "陕西洛川塬上的家庭果园，红富士苹果和苹果制品。",
    ),
]

LISTINGS_PER_SHOP = (22, 28)
PICTURE_SIDE = 800
