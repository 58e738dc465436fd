"""A fixed catalogue and a labelled query set for the search relevance test.

What it is
    ``SHOPS`` are 16 family shops in several provinces (义乌 socks, 杭州 tea, 景德镇
    ceramics, 广州 phone accessories, 苏州 silk, a 普洱 coffee farm, an English-named
    electronics shop in 深圳, a 沙集 furniture village shop, ...). ``LISTINGS`` are about
    two hundred listings in a three-level category tree (names from the root, e.g.
    ``("服装", "女装", "连衣裙")``). Titles follow the Taobao style: mostly keyword-stuffed
    Chinese, some English, some mixed (``"Type-C 数据线 快充 1米"``). The catalogue is full of
    deliberate distractors that share characters but not words (手机支架 / 手机壳,
    半身裙 / 连衣裙, 茶叶罐 / 茶叶, 书包 / 书架, 鼠标垫 / 鼠标, 运动鞋垫 / 运动鞋,
    冰丝 / 真丝), English words where stemming matters (cup / cups, charger / chargers,
    knit / knitted / knitting, shoe / shoes) and groups of near-duplicate listings of one seller
    whose titles differ only by a colour word (see ``NEAR_DUPLICATES``).

    ``QUERIES`` are Chinese and English queries, each with the listings a shopper would clearly
    expect in the first 10 results. The set is pure data: the relevance test builds the category
    tree, the shops and one SKU per listing (``attributes``, ``price``) from it, gives every
    shop the same trust signals, and checks each query's ``must_find`` keys are all in the top
    10.

How labels were chosen
    * Only unambiguous matches: the query's words (or their stem, or the one-letter typo's
      correction) are in the listing's *title*, and a shopper would call the listing a hit.
      Listings that only match in their description are never labelled.
    * 1-6 keys per query, and no query matches (in titles) so many listings that the labelled
      ones could fairly be pushed out of the top 10 by equally good matches.
    * Members of a near-duplicate group are not labelled, since search shows only one of a
      group high; the one exception is a query that names the colour of one member
      (``"陶瓷马克杯 黑色"``), which must then be the member kept.
    * Chinese labels assume segmentation that knows common product words: jieba 0.42.1 with
      its default dictionary alone misses several of them (手机壳 → 手机/壳,
      雪纺丝巾 → 雪/纺丝/巾, 玫瑰花茶 → 玫瑰花/茶, 龙井茶叶 → 龙井茶/叶), so search needs a
      product-word dictionary or a character n-gram fallback to pass; that is intended.
    * Nothing relies on synonyms (苹果 ≠ iPhone, bookshelf ≠ bookcase) or translation (an
      English query never needs a Chinese-only title, and the other way round).

How to add a query
    Append a ``LabelledQuery`` to ``QUERIES`` with ``language`` "zh" (also for mixed Chinese
    and Latin text) or "en", the keys of the listings that must appear, and a ``note`` naming
    what the query exercises (segmentation, stemming, typo, accent, mixed language,
    distractors, ...). If the query needs listings that are not in the catalogue, add them to
    ``LISTINGS`` with new stable keys (never rename or reuse a key) and check that existing
    queries' labels still hold. Then run ``python tests/search/relevance_set.py`` to validate
    references and counts.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CatalogueShop:
    key: str  # e.g. "yiwu_socks"
    name: str  # shop name (Chinese or English), ≤ 40 chars
    province: str  # e.g. "浙江省"
    city: str  # e.g. "金华市"


@dataclass(frozen=True)
class CatalogueListing:
    key: str  # unique, stable, e.g. "dress_korean_slim"
    shop: str  # CatalogueShop.key
    category: tuple[str, ...]  # category path of names from the root
    title: str  # ≤ 60 chars
    description: str = ""
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. {"颜色": "黑色", "材质": "棉"}
    price: str = "99.00"  # Decimal as string


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    language: str  # "zh" or "en"
    must_find: tuple[str, ...]  # listing keys that must all appear in the top 10
    note: str = ""  # what the query tests


# --- Shops ------------------------------------------------------------------------------------

SHOPS: tuple[CatalogueShop, ...] = (
    CatalogueShop("yiwu_socks", "青岩刘袜业工厂店", "浙江省", "金华市"),
    CatalogueShop("hangzhou_tea", "西湖龙井茶农直销", "浙江省", "杭州市"),
    CatalogueShop("sijiqing_fashion", "四季青服装档口", "浙江省", "杭州市"),
    CatalogueShop("lucky_yarn", "Lucky Yarn Knitwear", "浙江省", "嘉兴市"),
    CatalogueShop("jdz_ceramics", "景德镇瓷韵手作", "江西省", "景德镇市"),
    CatalogueShop("chaozhou_home", "Chaozhou Porcelain & Home", "广东省", "潮州市"),
    CatalogueShop("gz_phone", "广州潮流手机配件", "广东省", "广州市"),
    CatalogueShop("bright_volt", "Bright Volt Electronics", "广东省", "深圳市"),
    CatalogueShop("suzhou_silk", "苏州丝绸世家", "江苏省", "苏州市"),
    CatalogueShop("shaji_furniture", "沙集实木家具村", "江苏省", "徐州市"),
    CatalogueShop("puer_coffee", "普洱咖啡庄园 Pu'er Coffee Farm", "云南省", "普洱市"),
    CatalogueShop("menghai_tea", "勐海古树普洱茶", "云南省", "西双版纳傣族自治州"),
    CatalogueShop("anxi_tea", "安溪铁观音茶园", "福建省", "泉州市"),
    CatalogueShop("putian_shoes", "莆田鞋业直营", "福建省", "莆田市"),
    CatalogueShop("baigou_bags", "白沟箱包文具批发", "河北省", "保定市"),
    CatalogueShop("hetian_orchard", "和田红枣果园", "新疆维吾尔自治区", "和田地区"),
)

# --- Category paths ---------------------------------------------------------------------------

C_DRESS = ("服装", "女装", "连衣裙")
C_SKIRT = ("服装", "女装", "半身裙")
C_W_TEE = ("服装", "女装", "T恤")
C_W_KNIT = ("服装", "女装", "毛衣针织衫")
C_W_COAT = ("服装", "女装", "羽绒服")
C_W_PANTS = ("服装", "女装", "裤子")
C_M_SHIRT = ("服装", "男装", "衬衫")
C_M_TEE = ("服装", "男装", "T恤")
C_M_KNIT = ("服装", "男装", "毛衣")
C_M_JACKET = ("服装", "男装", "夹克外套")
C_M_PANTS = ("服装", "男装", "裤子")
C_KIDS_SET = ("服装", "童装", "童装套装")
C_KIDS_SKIRT = ("服装", "童装", "女童裙装")
C_SOCKS = ("服装", "内衣袜子", "袜子")
C_STOCKINGS = ("服装", "内衣袜子", "丝袜")
C_SLEEPWEAR = ("服装", "内衣袜子", "睡衣家居服")
C_SILK_SCARF = ("服饰配件", "围巾丝巾", "丝巾")
C_SCARF = ("服饰配件", "围巾丝巾", "围巾")
C_HAT = ("服饰配件", "帽子", "针织帽")
C_EYE_MASK = ("服饰配件", "睡眠用品", "眼罩")
C_SHOE_RUN = ("鞋靴", "运动鞋", "跑步鞋")
C_SHOE_SNEAKER = ("鞋靴", "运动鞋", "休闲板鞋")
C_SHOE_CANVAS = ("鞋靴", "女鞋", "帆布鞋")
C_SHOE_LEATHER = ("鞋靴", "男鞋", "皮鞋")
C_SHOE_SLIPPER = ("鞋靴", "拖鞋", "室内拖鞋")
C_SHOE_KIDS = ("鞋靴", "童鞋", "儿童运动鞋")
C_SHOE_INSOLE = ("鞋靴", "鞋用品", "鞋垫")
C_BACKPACK = ("箱包", "双肩包", "电脑背包")
C_TRAVEL_PACK = ("箱包", "双肩包", "旅行背包")
C_SCHOOLBAG = ("箱包", "双肩包", "书包")
C_SUITCASE = ("箱包", "旅行箱", "拉杆箱")
C_HANDBAG = ("箱包", "女包", "手提包")
C_TOTE = ("箱包", "女包", "帆布包")
C_WALLET = ("箱包", "钱包卡包", "男士钱包")
C_PEN = ("文具", "书写工具", "笔")
C_NOTEBOOK = ("文具", "本册", "笔记本")
C_PENCIL_CASE = ("文具", "文具收纳", "笔袋")
C_PHONE_CASE = ("数码", "手机配件", "手机壳")
C_PHONE_HOLDER = ("数码", "手机配件", "手机支架")
C_PHONE_FILM = ("数码", "手机配件", "手机膜")
C_PHONE_STRAP = ("数码", "手机配件", "手机挂绳")
C_CABLE = ("数码", "手机配件", "数据线")
C_CHARGER = ("数码", "手机配件", "充电器")
C_POWER_BANK = ("数码", "手机配件", "移动电源")
C_EARBUDS = ("数码", "耳机音箱", "蓝牙耳机")
C_WIRED = ("数码", "耳机音箱", "有线耳机")
C_HEADPHONES = ("数码", "耳机音箱", "头戴式耳机")
C_SPEAKER = ("数码", "耳机音箱", "音箱")
C_KEYBOARD = ("数码", "电脑配件", "键盘")
C_MOUSE = ("数码", "电脑配件", "鼠标")
C_MOUSEPAD = ("数码", "电脑配件", "鼠标垫")
C_LAPTOP_STAND = ("数码", "电脑配件", "笔记本支架")
C_HUB = ("数码", "电脑配件", "扩展坞")
C_TABLET_CASE = ("数码", "平板配件", "平板保护套")
C_WATCH_BAND = ("数码", "智能穿戴", "表带")
C_SHELF = ("家居", "家具", "书架")
C_DESK = ("家居", "家具", "书桌")
C_CHAIR = ("家居", "家具", "椅子")
C_SOFA = ("家居", "家具", "沙发")
C_NIGHTSTAND = ("家居", "家具", "床头柜")
C_SHOE_CABINET = ("家居", "家具", "鞋柜")
C_TABLE = ("家居", "家具", "餐桌茶桌")
C_RACK = ("家居", "收纳", "置物架")
C_BEDDING = ("家居", "家纺", "床品套件")
C_QUILT = ("家居", "家纺", "被子")
C_PILLOW = ("家居", "家纺", "枕头")
C_SUMMER_MAT = ("家居", "家纺", "凉席")
C_TOWEL = ("家居", "家纺", "毛巾浴巾")
C_THERMOS = ("家居", "水杯", "保温杯")
C_GLASS = ("家居", "水杯", "玻璃杯")
C_MUG = ("家居", "水杯", "马克杯")
C_COOKWARE = ("家居", "厨具", "锅具")
C_KNIFE = ("家居", "厨具", "刀具砧板")
C_KETTLE = ("家居", "厨具", "水壶")
C_VASE = ("家居", "家居饰品", "花瓶")
C_CANDLE = ("家居", "家居饰品", "香薰蜡烛")
C_LAMP = ("家居", "灯具", "台灯")
C_GRINDER = ("家居", "咖啡器具", "磨豆机")
C_POUR_OVER = ("家居", "咖啡器具", "手冲壶")
C_GREEN_TEA = ("食品", "茶叶", "绿茶")
C_BLACK_TEA = ("食品", "茶叶", "红茶")
C_OOLONG = ("食品", "茶叶", "乌龙茶")
C_PUER = ("食品", "茶叶", "普洱茶")
C_FLOWER_TEA = ("食品", "茶叶", "花草茶")
C_MILK_TEA = ("食品", "冲饮", "奶茶")
C_HONEY = ("食品", "冲饮", "蜂蜜")
C_LOTUS = ("食品", "冲饮", "藕粉")
C_BEANS = ("食品", "咖啡", "咖啡豆")
C_DRIP = ("食品", "咖啡", "挂耳咖啡")
C_INSTANT = ("食品", "咖啡", "速溶咖啡")
C_DRIED_FRUIT = ("食品", "零食特产", "果干蜜饯")
C_NUTS = ("食品", "零食特产", "坚果")
C_PASTRY = ("食品", "零食特产", "糕点")
C_TEA_SET = ("工艺品", "陶瓷", "茶具")
C_CER_VASE = ("工艺品", "陶瓷", "花瓶摆件")
C_TABLEWARE = ("工艺品", "陶瓷", "餐具")
C_JAR = ("工艺品", "陶瓷", "储物罐")
C_EMBROIDERY = ("工艺品", "丝绸刺绣", "刺绣")
C_BASKET = ("工艺品", "竹木", "收纳篮")
C_TEA_TRAY = ("工艺品", "竹木", "茶盘")
C_YARN = ("工艺品", "手工DIY", "毛线")

L = CatalogueListing

# --- Listings ---------------------------------------------------------------------------------

# fmt: off
LISTINGS: tuple[CatalogueListing, ...] = (
    # 服装 / 女装 -------------------------------------------------------------------------------
    L("dress_korean_slim", "sijiqing_fashion", C_DRESS,
      "韩版修身连衣裙女夏季新款显瘦气质长裙",
      "V领收腰设计，雪纺面料，适合通勤和约会。", {"颜色": "杏色", "尺码": "M"}, "129.00"),
    L("dress_floral_chiffon", "sijiqing_fashion", C_DRESS,
      "碎花雪纺连衣裙女2024夏季法式复古收腰中长款",
      "法式小碎花，飘逸雪纺，内有衬里不透。", {"颜色": "蓝色碎花", "尺码": "S"}, "89.00"),
    L("dress_black_little", "sijiqing_fashion", C_DRESS,
      "小黑裙赫本风连衣裙女春秋气质高级感显瘦",
      "经典赫本风小黑裙，重磅醋酸面料。", {"颜色": "黑色", "尺码": "M"}, "159.00"),
    L("dress_knit_sweater", "lucky_yarn", C_DRESS,
      "针织连衣裙女秋冬内搭打底毛衣裙过膝长款",
      "柔软羊毛混纺，可单穿可内搭大衣。", {"颜色": "燕麦色", "尺码": "均码"}, "139.00"),
    L("dress_puff_red", "sijiqing_fashion", C_DRESS,
      "法式方领泡泡袖连衣裙女夏收腰显瘦 红色",
      "方领泡泡袖，收腰A字版型。", {"颜色": "红色", "尺码": "M"}, "119.00"),
    L("dress_puff_blue", "sijiqing_fashion", C_DRESS,
      "法式方领泡泡袖连衣裙女夏收腰显瘦 蓝色",
      "方领泡泡袖，收腰A字版型。", {"颜色": "蓝色", "尺码": "M"}, "119.00"),
    L("dress_puff_white", "sijiqing_fashion", C_DRESS,
      "法式方领泡泡袖连衣裙女夏收腰显瘦 白色",
      "方领泡泡袖，收腰A字版型。", {"颜色": "白色", "尺码": "M"}, "119.00"),
    L("dress_silk_mulberry", "suzhou_silk", C_DRESS,
      "真丝连衣裙女桑蚕丝重磅印花中长款高端妈妈装",
      "22姆米重磅桑蚕丝，苏州本地工厂缝制。", {"颜色": "墨绿印花", "尺码": "L"}, "699.00"),
    L("dress_floral_en", "sijiqing_fashion", C_DRESS,
      "Women's floral summer dress, midi length, cotton",
      "Light cotton dress with a floral print and a tie waist.", {"Colour": "Blue", "Size": "M"},
      "99.00"),
    L("dress_linen_en", "sijiqing_fashion", C_DRESS,
      "Linen shirt dress for women, button front, beige",
      "Relaxed linen shirt dress with pockets.", {"Colour": "Beige", "Size": "L"}, "139.00"),
    L("skirt_pleated", "sijiqing_fashion", C_SKIRT,
      "百褶半身裙女高腰显瘦中长款A字裙子",
      "垂感好，可搭配衬衫、毛衣，比连衣裙更百搭。", {"颜色": "黑色", "尺码": "M"}, "69.00"),
    L("skirt_denim", "sijiqing_fashion", C_SKIRT,
      "牛仔半身裙女短款包臀裙夏季高腰",
      "弹力牛仔，高腰显腿长。", {"颜色": "浅蓝", "尺码": "S"}, "79.00"),
    L("skirt_tutu_kids", "sijiqing_fashion", C_KIDS_SKIRT,
      "女童纱裙公主裙蓬蓬裙儿童裙子生日礼服",
      "多层网纱，适合生日派对和表演。", {"颜色": "粉色", "尺码": "120"}, "88.00"),
    L("tee_women_cotton", "sijiqing_fashion", C_W_TEE,
      "纯棉短袖T恤女宽松韩版白色上衣夏季",
      "精梳棉，不易变形。", {"颜色": "白色", "尺码": "L"}, "39.00"),
    L("pants_women_wide", "sijiqing_fashion", C_W_PANTS,
      "高腰阔腿裤女垂感宽松直筒休闲裤夏季薄款",
      "冰丝面料，垂感好，不起球。", {"颜色": "黑色", "尺码": "M"}, "59.00"),
    L("jeans_women", "sijiqing_fashion", C_W_PANTS,
      "牛仔裤女高腰直筒宽松显瘦2024新款",
      "微弹牛仔布，直筒版型。", {"颜色": "浅蓝", "尺码": "27"}, "99.00"),
    L("down_jacket_women", "sijiqing_fashion", C_W_COAT,
      "羽绒服女中长款加厚白鸭绒连帽2024冬季新款",
      "90%白鸭绒，防风面料。", {"颜色": "黑色", "尺码": "M"}, "459.00"),
    L("down_jacket_en", "sijiqing_fashion", C_W_COAT,
      "Women's lightweight down jacket, hooded, packable",
      "Packs into its own pocket; 90% duck down.", {"Colour": "Black", "Size": "M"}, "399.00"),
    L("hoodie_en", "sijiqing_fashion", C_M_JACKET,
      "Oversized cotton hoodie, unisex, fleece lined",
      "Heavy cotton fleece, kangaroo pocket.", {"Colour": "Grey", "Size": "XL"}, "129.00"),
    L("cardigan_zh", "lucky_yarn", C_W_KNIT,
      "针织开衫女春秋外搭薄款V领毛衣外套",
      "桐乡濮院自家工厂织造。", {"颜色": "米白", "尺码": "均码"}, "109.00"),
    L("sweater_cashmere_zh", "lucky_yarn", C_W_KNIT,
      "羊绒衫女圆领套头毛衣纯色针织衫",
      "100%山羊绒，亲肤不扎。", {"颜色": "驼色", "尺码": "M"}, "399.00"),
    L("cardigan_knit_en", "lucky_yarn", C_W_KNIT,
      "Women's knitted cardigan, chunky cable knit, oversized",
      "Hand-finished cable pattern, wool blend.", {"Colour": "Cream", "Size": "One size"},
      "259.00"),
    L("cardigan_cotton_en", "lucky_yarn", C_W_KNIT,
      "Cotton cardigan for women, V-neck, button up",
      "Fine-gauge cotton, good for spring.", {"Colour": "Navy", "Size": "M"}, "149.00"),
    L("sweater_merino_en", "lucky_yarn", C_M_KNIT,
      "Men's merino wool knit sweater, crew neck",
      "Extra-fine merino, machine washable.", {"Colour": "Charcoal", "Size": "L"}, "299.00"),
    L("sweater_fisherman_en", "lucky_yarn", C_M_KNIT,
      "Fisherman sweater, Aran pattern, pure wool",
      "Traditional Aran cables, heavy wool.", {"Colour": "Natural", "Size": "L"}, "359.00"),
    L("scarf_knit_en", "lucky_yarn", C_SCARF,
      "Hand knitted scarf, chunky wool, grey",
      "Knitted by hand in our village.", {"Colour": "Grey"}, "129.00"),
    L("beanie_knit_en", "lucky_yarn", C_HAT,
      "Knit beanie hat, ribbed, unisex winter",
      "Warm ribbed beanie with a turn-up cuff.", {"Colour": "Mustard"}, "59.00"),
    L("yarn_merino_en", "lucky_yarn", C_YARN,
      "Merino yarn for knitting, 100g skein, DK weight",
      "Soft superwash merino for sweaters and hats.", {"Colour": "Rust"}, "45.00"),
    # 服装 / 男装、童装 ----------------------------------------------------------------------------
    L("shirt_men_oxford", "sijiqing_fashion", C_M_SHIRT,
      "男士牛津纺长袖衬衫商务休闲免烫白衬衣",
      "纯棉牛津纺，免烫处理。", {"颜色": "白色", "尺码": "XL"}, "89.00"),
    L("shirt_linen_en", "sijiqing_fashion", C_M_SHIRT,
      "Men's linen shirt, short sleeve, relaxed fit",
      "Washed linen, breathable for hot summers.", {"Colour": "White", "Size": "L"}, "119.00"),
    L("tee_men_basic", "sijiqing_fashion", C_M_TEE,
      "男士纯棉圆领短袖T恤夏季打底衫纯色",
      "230克重磅纯棉。", {"颜色": "黑色", "尺码": "XL"}, "49.00"),
    L("jacket_denim_en", "sijiqing_fashion", C_M_JACKET,
      "Men's denim jacket, washed blue, regular fit",
      "Classic trucker jacket in rigid denim.", {"Colour": "Blue", "Size": "L"}, "219.00"),
    L("jeans_men_en", "sijiqing_fashion", C_M_PANTS,
      "Men's slim fit jeans, stretch denim, dark wash",
      "Stretch denim with a tapered leg.", {"Colour": "Indigo", "Size": "32"}, "169.00"),
    L("joggers_men_zh", "sijiqing_fashion", C_M_PANTS,
      "运动裤男宽松束脚卫裤春秋款休闲裤",
      "加绒可选，适合跑步健身。", {"颜色": "灰色", "尺码": "XL"}, "69.00"),
    L("kids_pajama_set", "sijiqing_fashion", C_KIDS_SET,
      "儿童纯棉睡衣套装男童女童家居服长袖",
      "A类纯棉，宝宝贴身穿。", {"颜色": "蓝色", "尺码": "110"}, "59.00"),
    # 服装 / 袜子 -------------------------------------------------------------------------------
    L("socks_cotton_men_black", "yiwu_socks", C_SOCKS,
      "男士纯棉袜子中筒袜防臭吸汗商务10双装 黑色",
      "义乌青岩刘自家工厂，精梳棉。", {"颜色": "黑色", "尺码": "39-44"}, "29.90"),
    L("socks_cotton_men_white", "yiwu_socks", C_SOCKS,
      "男士纯棉袜子中筒袜防臭吸汗商务10双装 白色",
      "义乌青岩刘自家工厂，精梳棉。", {"颜色": "白色", "尺码": "39-44"}, "29.90"),
    L("socks_cotton_men_grey", "yiwu_socks", C_SOCKS,
      "男士纯棉袜子中筒袜防臭吸汗商务10双装 灰色",
      "义乌青岩刘自家工厂，精梳棉。", {"颜色": "灰色", "尺码": "39-44"}, "29.90"),
    L("socks_boat_zh", "yiwu_socks", C_SOCKS,
      "船袜女浅口隐形袜夏季薄款硅胶防滑不掉跟",
      "后跟硅胶防滑条。", {"颜色": "肤色", "尺码": "35-39"}, "19.90"),
    L("socks_kids_zh", "yiwu_socks", C_SOCKS,
      "儿童袜子纯棉宝宝中筒袜春秋款5双装",
      "无骨缝头，宝宝穿着舒服。", {"尺码": "S"}, "25.00"),
    L("socks_wool_zh", "yiwu_socks", C_SOCKS,
      "女士袜子秋冬加厚羊毛袜堆堆袜保暖",
      "羊毛混纺，冬天不冷脚。", {"颜色": "燕麦色"}, "35.00"),
    L("socks_sport_zh", "yiwu_socks", C_SOCKS,
      "运动袜男毛巾底篮球袜加厚中筒跑步",
      "毛巾底减震，适合篮球和跑步。", {"颜色": "白色", "尺码": "39-44"}, "32.00"),
    L("stockings_zh", "yiwu_socks", C_STOCKINGS,
      "丝袜女连裤袜超薄款肤色防勾丝春夏",
      "超薄透肉，防勾丝。", {"颜色": "肤色"}, "19.90"),
    L("socks_hiking_en", "yiwu_socks", C_SOCKS,
      "Merino wool hiking socks, cushioned, 3 pairs",
      "Cushioned sole for long walks.", {"Size": "M"}, "79.00"),
    L("socks_ankle_en", "yiwu_socks", C_SOCKS,
      "Cotton ankle socks for women, no-show, 6 pairs",
      "Silicone heel grip keeps them in place.", {"Size": "S"}, "39.00"),
    L("socks_christmas_en", "yiwu_socks", C_SOCKS,
      "Christmas socks gift box, funny novelty, 5 pairs",
      "Five festive designs in a gift box.", {}, "49.00"),
    # 鞋靴 ------------------------------------------------------------------------------------
    L("shoes_running_zh", "putian_shoes", C_SHOE_RUN,
      "男士运动鞋透气轻便跑步鞋减震网面休闲鞋",
      "飞织网面，EVA减震大底。", {"颜色": "黑白", "尺码": "42"}, "159.00"),
    L("shoes_kids_zh", "putian_shoes", C_SHOE_KIDS,
      "儿童运动鞋男童魔术贴春秋款软底防滑",
      "魔术贴穿脱方便。", {"颜色": "蓝色", "尺码": "30"}, "89.00"),
    L("shoes_canvas_zh", "putian_shoes", C_SHOE_CANVAS,
      "帆布鞋女低帮百搭小白鞋学生板鞋",
      "硫化大底，经典低帮。", {"颜色": "白色", "尺码": "37"}, "69.00"),
    L("shoes_leather_zh", "putian_shoes", C_SHOE_LEATHER,
      "男士皮鞋真皮商务正装系带英伦风",
      "头层牛皮，橡胶底。", {"颜色": "黑色", "尺码": "41"}, "289.00"),
    L("slippers_zh", "putian_shoes", C_SHOE_SLIPPER,
      "拖鞋女夏季室内家用防滑浴室EVA凉拖",
      "踩屎感厚底。", {"颜色": "奶白", "尺码": "37-38"}, "19.90"),
    L("insoles_zh", "putian_shoes", C_SHOE_INSOLE,
      "运动鞋垫男女减震吸汗透气可裁剪",
      "可自行裁剪尺码。", {"尺码": "35-45"}, "15.00"),
    L("shoes_running_en", "putian_shoes", C_SHOE_RUN,
      "Men's running shoes, lightweight, breathable mesh",
      "Cushioned midsole for road running.", {"Colour": "Black", "Size": "42"}, "199.00"),
    L("shoe_canvas_en", "putian_shoes", C_SHOE_CANVAS,
      "Women's canvas shoe, low top, white sneaker",
      "Vulcanised rubber sole.", {"Colour": "White", "Size": "37"}, "79.00"),
    L("sneakers_en", "putian_shoes", C_SHOE_SNEAKER,
      "Chunky sneakers for women, platform sole, 5cm",
      "Adds height without heels.", {"Colour": "White", "Size": "38"}, "169.00"),
    L("shoe_rack_en", "shaji_furniture", C_RACK,
      "Shoe rack, 4-tier, bamboo, for entryway",
      "Holds 12 pairs; no tools needed.", {}, "89.00"),
    # 箱包、文具 --------------------------------------------------------------------------------
    L("backpack_zh", "baigou_bags", C_BACKPACK,
      "双肩包男大容量旅行电脑背包商务防水",
      "可放15.6寸笔记本电脑，带USB充电口。", {"颜色": "黑色"}, "129.00"),
    L("bookbag_primary_zh", "baigou_bags", C_SCHOOLBAG,
      "小学生书包男女护脊减负1-3年级",
      "护脊背板，轻量面料。", {"颜色": "蓝色"}, "99.00"),
    L("bookbag_middle_zh", "baigou_bags", C_SCHOOLBAG,
      "初中生书包大容量双肩包女韩版高中",
      "大容量多隔层。", {"颜色": "米色"}, "89.00"),
    L("backpack_laptop_en", "baigou_bags", C_BACKPACK,
      "Laptop backpack 15.6 inch, waterproof, USB charging port",
      "Padded laptop sleeve and luggage strap.", {"Colour": "Grey"}, "149.00"),
    L("backpack_travel_en", "baigou_bags", C_TRAVEL_PACK,
      "Travel backpack 40L, carry-on size, anti-theft",
      "Opens flat like a suitcase.", {"Colour": "Black"}, "229.00"),
    L("suitcase_zh", "baigou_bags", C_SUITCASE,
      "拉杆箱20寸登机箱万向轮行李箱女密码箱",
      "PC箱体，静音万向轮。", {"颜色": "白色", "尺寸": "20寸"}, "199.00"),
    L("suitcase_en", "baigou_bags", C_SUITCASE,
      "Hardside suitcase 24 inch, spinner wheels, TSA lock",
      "Polycarbonate shell, expandable.", {"Colour": "Navy", "Size": "24 inch"}, "349.00"),
    L("tote_en", "baigou_bags", C_TOTE,
      "Canvas tote bag, large, with inner pocket",
      "Heavy 16oz canvas.", {"Colour": "Natural"}, "39.00"),
    L("handbag_zh", "baigou_bags", C_HANDBAG,
      "女士手提包真皮斜挎包通勤大容量托特包",
      "头层牛皮，可斜挎。", {"颜色": "焦糖色"}, "269.00"),
    L("wallet_zh", "baigou_bags", C_WALLET,
      "男士钱包短款头层牛皮卡包驾驶证一体",
      "多卡位设计。", {"颜色": "黑色"}, "79.00"),
    L("pencil_case_zh", "baigou_bags", C_PENCIL_CASE,
      "笔袋文具盒大容量小学生简约铅笔袋",
      "多层收纳。", {"颜色": "灰色"}, "19.90"),
    L("pen_gel_zh", "baigou_bags", C_PEN,
      "中性笔0.5mm黑色学生考试刷题水笔50支",
      "顺滑不断墨。", {"颜色": "黑色"}, "25.00"),
    L("notebook_zh", "baigou_bags", C_NOTEBOOK,
      "笔记本A5加厚大学生简约记事本子",
      "100克道林纸，不洇墨。", {}, "12.90"),
    L("notebook_en", "baigou_bags", C_NOTEBOOK,
      "Hardcover notebook A5, dotted, 160 pages",
      "Fountain-pen friendly 100gsm paper.", {}, "45.00"),
    L("pen_fountain_en", "baigou_bags", C_PEN,
      "Fountain pen, fine nib, with ink converter",
      "Steel nib, piston converter included.", {"Colour": "Black"}, "69.00"),
    # 数码 / 手机配件（广州） -------------------------------------------------------------------
    L("case_iphone15_clear", "gz_phone", C_PHONE_CASE,
      "iPhone 15 Pro 手机壳 透明防摔 硅胶全包 男女",
      "四角气囊防摔，不发黄。", {"型号": "iPhone 15 Pro", "颜色": "透明"}, "19.90"),
    L("case_apple_magsafe", "gz_phone", C_PHONE_CASE,
      "苹果15手机壳磁吸MagSafe新款高级感适用iPhone15ProMax",
      "内置磁环，支持MagSafe无线充电。", {"型号": "15 Pro Max", "颜色": "深蓝"}, "39.00"),
    L("case_huawei_mate60", "gz_phone", C_PHONE_CASE,
      "华为Mate60Pro手机壳素皮全包防摔商务",
      "素皮材质，手感细腻。", {"型号": "Mate60 Pro", "颜色": "棕色"}, "29.90"),
    L("case_xiaomi14", "gz_phone", C_PHONE_CASE,
      "小米14手机壳液态硅胶纯色软壳",
      "内里超细纤维绒。", {"型号": "小米14", "颜色": "薄荷绿"}, "19.90"),
    L("case_ip14_black", "gz_phone", C_PHONE_CASE,
      "iPhone 14 手机壳 液态硅胶 全包防摔 黑色",
      "液态硅胶，亲肤防滑。", {"型号": "iPhone 14", "颜色": "黑色"}, "15.90"),
    L("case_ip14_white", "gz_phone", C_PHONE_CASE,
      "iPhone 14 手机壳 液态硅胶 全包防摔 白色",
      "液态硅胶，亲肤防滑。", {"型号": "iPhone 14", "颜色": "白色"}, "15.90"),
    L("case_ip14_purple", "gz_phone", C_PHONE_CASE,
      "iPhone 14 手机壳 液态硅胶 全包防摔 紫色",
      "液态硅胶，亲肤防滑。", {"型号": "iPhone 14", "颜色": "紫色"}, "15.90"),
    L("holder_car_zh", "gz_phone", C_PHONE_HOLDER,
      "车载手机支架出风口磁吸汽车导航支架",
      "强磁吸附，单手取放，兼容带手机壳使用。", {"颜色": "黑色"}, "29.90"),
    L("holder_desk_zh", "gz_phone", C_PHONE_HOLDER,
      "桌面手机支架懒人支架铝合金可折叠直播",
      "铝合金底座，稳固不晃。", {"颜色": "银色"}, "25.00"),
    L("film_iphone15_zh", "gz_phone", C_PHONE_FILM,
      "iPhone15钢化膜全屏覆盖防窥手机膜2片装",
      "送贴膜神器。", {"型号": "iPhone 15"}, "12.90"),
    L("strap_phone_zh", "gz_phone", C_PHONE_STRAP,
      "手机挂绳斜挎可调节手机链挂脖女",
      "通用夹片，可配合任意手机壳使用。", {"颜色": "奶茶色"}, "15.00"),
    L("cable_typec_1m", "gz_phone", C_CABLE,
      "Type-C 数据线 快充 1米 6A 适用华为小米",
      "6A大电流，支持华为超级快充。", {"长度": "1米"}, "9.90"),
    L("cable_typec_2m", "gz_phone", C_CABLE,
      "Type-C数据线 编织 2米 超级快充 100W",
      "尼龙编织，耐弯折。", {"长度": "2米"}, "19.90"),
    L("cable_lightning", "gz_phone", C_CABLE,
      "苹果数据线 iPhone充电线 Lightning 快充 1.5米",
      "MFi认证芯片。", {"长度": "1.5米"}, "19.90"),
    L("charger_huawei", "gz_phone", C_CHARGER,
      "华为充电器66W超级快充头原装正品套装",
      "含6A数据线一根。", {"功率": "66W"}, "99.00"),
    L("charger_apple_20w", "gz_phone", C_CHARGER,
      "苹果20W PD快充充电器 iPhone15 充电头 Type-C",
      "PD协议，30分钟充至50%。", {"功率": "20W"}, "39.00"),
    L("charger_car_zh", "gz_phone", C_CHARGER,
      "车载充电器点烟器双USB快充一拖三",
      "12V/24V车型通用。", {}, "29.90"),
    L("powerbank_zh", "gz_phone", C_POWER_BANK,
      "充电宝20000毫安超薄便携快充移动电源",
      "自带双线，可上飞机。", {"颜色": "白色"}, "79.00"),
    L("earbuds_zh", "gz_phone", C_EARBUDS,
      "蓝牙耳机真无线降噪入耳式超长续航运动",
      "蓝牙5.3，主动降噪。", {"颜色": "白色"}, "129.00"),
    L("earbuds_neck_zh", "gz_phone", C_EARBUDS,
      "蓝牙耳机挂脖式运动跑步防水磁吸",
      "IPX5防水，跑步不掉。", {"颜色": "黑色"}, "69.00"),
    L("earphone_wired_zh", "gz_phone", C_WIRED,
      "有线耳机Type-C接口入耳式手机通用带麦",
      "线控通话。", {"颜色": "白色"}, "19.90"),
    L("speaker_zh", "gz_phone", C_SPEAKER,
      "蓝牙音箱小音响便携户外重低音插卡",
      "支持TF卡和U盘。", {"颜色": "黑色"}, "59.00"),
    L("tablet_case_zh", "gz_phone", C_TABLET_CASE,
      "iPad保护套2024款Air防弯带笔槽三折",
      "自动休眠唤醒。", {"型号": "iPad Air 11", "颜色": "雾蓝"}, "39.00"),
    L("watchband_zh", "gz_phone", C_WATCH_BAND,
      "Apple Watch表带硅胶运动款S9通用41mm",
      "快拆设计。", {"颜色": "午夜色", "尺寸": "41mm"}, "19.90"),
    # 数码（深圳，英文店） -------------------------------------------------------------------------
    L("case_clear_en", "bright_volt", C_PHONE_CASE,
      "Clear phone case for iPhone 15, shockproof, MagSafe",
      "Anti-yellowing TPU bumper with a magnetic ring.", {"Model": "iPhone 15"}, "29.00"),
    L("case_leather_en", "bright_volt", C_PHONE_CASE,
      "Leather wallet phone case for Samsung Galaxy S24",
      "Holds three cards; folds into a stand.", {"Model": "Galaxy S24", "Colour": "Brown"},
      "59.00"),
    L("holder_en", "bright_volt", C_PHONE_HOLDER,
      "Phone stand for desk, adjustable aluminium holder",
      "Fits phones and small tablets.", {"Colour": "Silver"}, "35.00"),
    L("screen_protector_en", "bright_volt", C_PHONE_FILM,
      "Screen protector for iPhone 15, tempered glass, 2-pack",
      "9H hardness, with an alignment frame.", {"Model": "iPhone 15"}, "19.00"),
    L("cable_usbc_en", "bright_volt", C_CABLE,
      "USB-C to USB-C cable, 100W fast charging, 2m braided",
      "E-marker chip, 480 Mbps data.", {"Length": "2m"}, "29.00"),
    L("charger_gan_en", "bright_volt", C_CHARGER,
      "65W GaN charger, 3-port USB-C fast wall charger",
      "Charges a laptop, a phone and earbuds at once.", {"Plug": "CN"}, "129.00"),
    L("charger_wireless_en", "bright_volt", C_CHARGER,
      "Wireless charging pad, 15W Qi fast charger",
      "Works through cases up to 5mm.", {"Colour": "Black"}, "69.00"),
    L("charging_station_en", "bright_volt", C_CHARGER,
      "3-in-1 wireless charging station for iPhone and AirPods",
      "Charges phone, watch and earbuds together.", {"Colour": "White"}, "199.00"),
    L("powerbank_en", "bright_volt", C_POWER_BANK,
      "Portable power bank 10000mAh, slim, USB-C PD",
      "20W output, airline safe.", {"Colour": "Black"}, "99.00"),
    L("earbuds_en", "bright_volt", C_EARBUDS,
      "Wireless earbuds, Bluetooth 5.3, noise cancelling",
      "30 hours with the charging case.", {"Colour": "White"}, "199.00"),
    L("earbuds_sport_en", "bright_volt", C_EARBUDS,
      "Sport wireless earbuds with ear hooks, waterproof",
      "IPX7, secure fit for running.", {"Colour": "Black"}, "159.00"),
    L("headphones_en", "bright_volt", C_HEADPHONES,
      "Over-ear wireless headphones, foldable, 40h battery",
      "Memory foam ear cushions.", {"Colour": "Black"}, "259.00"),
    L("speaker_en", "bright_volt", C_SPEAKER,
      "Portable Bluetooth speaker, waterproof, bass boost",
      "12 hours of play, IPX6.", {"Colour": "Blue"}, "149.00"),
    L("keyboard_en", "bright_volt", C_KEYBOARD,
      "Mechanical keyboard, 87 keys, hot-swappable, RGB",
      "Gasket mount, pre-lubed switches.", {"Switch": "Red"}, "299.00"),
    L("keyboard_bt_en", "bright_volt", C_KEYBOARD,
      "Slim Bluetooth keyboard for iPad, rechargeable",
      "Pairs with three devices.", {"Colour": "Grey"}, "129.00"),
    L("mouse_en", "bright_volt", C_MOUSE,
      "Wireless mouse, silent click, rechargeable",
      "2.4G receiver plus Bluetooth.", {"Colour": "Grey"}, "59.00"),
    L("mouse_zh", "bright_volt", C_MOUSE,
      "无线鼠标静音可充电办公笔记本电脑通用",
      "2.4G无线，续航一个月。", {"颜色": "白色"}, "39.00"),
    L("mousepad_zh", "bright_volt", C_MOUSEPAD,
      "超大鼠标垫加厚锁边办公桌垫游戏电竞",
      "900x400mm，防水面料。", {"颜色": "黑色"}, "25.00"),
    L("keyboard_zh", "bright_volt", C_KEYBOARD,
      "机械键盘青轴有线游戏电竞104键",
      "全键无冲，RGB背光。", {"轴体": "青轴"}, "169.00"),
    L("laptop_stand_en", "bright_volt", C_LAPTOP_STAND,
      "Aluminium laptop stand, ergonomic, foldable",
      "Raises the screen to eye level.", {"Colour": "Silver"}, "79.00"),
    L("laptop_stand_zh", "bright_volt", C_LAPTOP_STAND,
      "笔记本电脑支架铝合金散热升降桌面",
      "六档调节，折叠便携。", {"颜色": "银色"}, "49.00"),
    L("usb_hub_en", "bright_volt", C_HUB,
      "USB-C hub 7-in-1, HDMI 4K, SD card reader",
      "100W pass-through charging.", {}, "139.00"),
    L("lamp_desk_en", "bright_volt", C_LAMP,
      "LED desk lamp, eye-care, dimmable, USB powered",
      "Five colour temperatures.", {"Colour": "White"}, "89.00"),
    L("lamp_zh", "bright_volt", C_LAMP,
      "LED护眼台灯学生书桌卧室床头阅读灯",
      "国AA级照度，无频闪。", {"颜色": "白色"}, "69.00"),
    # 家居 / 家具（沙集） -------------------------------------------------------------------------
    L("shelf_solid_wood", "shaji_furniture", C_SHELF,
      "实木书架落地多层置物架简约客厅书柜",
      "松木实木，沙集本村工厂直发。", {"尺寸": "80x30x180cm", "颜色": "原木色"}, "299.00"),
    L("shelf_kids", "shaji_furniture", C_SHELF,
      "儿童书架绘本架落地宝宝卡通收纳架",
      "圆角设计，防磕碰。", {"颜色": "白色"}, "159.00"),
    L("shelf_iron", "shaji_furniture", C_SHELF,
      "铁艺书架工业风墙上置物架壁挂式",
      "免打孔安装可选。", {"颜色": "黑色"}, "89.00"),
    L("shelf_en", "shaji_furniture", C_SHELF,
      "Solid wood bookshelf, 5-tier, oak finish",
      "Pine frame with an oak-stained finish.", {"Size": "80x30x180cm"}, "459.00"),
    L("shelf_bookcase_en", "shaji_furniture", C_SHELF,
      "Bookcase with glass doors, white, 180cm",
      "Adjustable shelves behind dust-proof doors.", {"Colour": "White"}, "699.00"),
    L("desk_solid_zh", "shaji_furniture", C_DESK,
      "实木书桌北欧学生写字台家用电脑桌",
      "白橡木，带抽屉。", {"尺寸": "120x60cm", "颜色": "原木色"}, "599.00"),
    L("desk_en", "shaji_furniture", C_DESK,
      "Standing desk frame, electric height adjustable",
      "Dual motor, memory presets.", {"Colour": "Black"}, "1299.00"),
    L("desk_writing_en", "shaji_furniture", C_DESK,
      "Writing desk, solid pine, with drawer",
      "Compact desk for small rooms.", {"Size": "100x50cm"}, "399.00"),
    L("table_dining_en", "shaji_furniture", C_TABLE,
      "Solid wood dining table, walnut, seats 6",
      "North American black walnut.", {"Size": "180x90cm"}, "2899.00"),
    L("chair_office_zh", "shaji_furniture", C_CHAIR,
      "人体工学椅电脑椅办公椅家用久坐护腰",
      "可调节腰托和头枕。", {"颜色": "黑色"}, "399.00"),
    L("chair_office_en", "shaji_furniture", C_CHAIR,
      "Ergonomic office chair, mesh back, lumbar support",
      "Breathable mesh, 3D armrests.", {"Colour": "Grey"}, "699.00"),
    L("chair_bistro_en", "shaji_furniture", C_CHAIR,
      "Cafe bistro chair, rattan and metal, set of 2",
      "French-style seating for balconies.", {"Colour": "Natural"}, "459.00"),
    L("sofa_fabric_zh", "shaji_furniture", C_SOFA,
      "布艺沙发小户型客厅三人位科技布可拆洗",
      "高密度海绵，可拆洗。", {"颜色": "浅灰", "规格": "三人位"}, "1599.00"),
    L("sofa_lazy_zh", "shaji_furniture", C_SOFA,
      "懒人沙发豆袋单人卧室榻榻米",
      "EPP颗粒填充。", {"颜色": "奶白"}, "199.00"),
    L("nightstand_log", "shaji_furniture", C_NIGHTSTAND,
      "实木床头柜简约现代卧室储物小柜子 原木色",
      "两抽屉，实木框架。", {"颜色": "原木色"}, "259.00"),
    L("nightstand_walnut", "shaji_furniture", C_NIGHTSTAND,
      "实木床头柜简约现代卧室储物小柜子 胡桃色",
      "两抽屉，实木框架。", {"颜色": "胡桃色"}, "259.00"),
    L("nightstand_white", "shaji_furniture", C_NIGHTSTAND,
      "实木床头柜简约现代卧室储物小柜子 白色",
      "两抽屉，实木框架。", {"颜色": "白色"}, "259.00"),
    L("shoe_cabinet_zh", "shaji_furniture", C_SHOE_CABINET,
      "鞋柜家用门口大容量超薄翻斗实木",
      "17cm超薄，适合小玄关。", {"颜色": "白色"}, "359.00"),
    L("plant_stand_zh", "shaji_furniture", C_RACK,
      "花架多层室内阳台实木置物架",
      "碳化实木，防潮。", {"颜色": "原木色"}, "129.00"),
    L("coat_rack_zh", "shaji_furniture", C_RACK,
      "落地衣帽架卧室挂衣架简易实木",
      "榉木，稳固不倒。", {"颜色": "原木色"}, "89.00"),
    L("tea_table_zh", "shaji_furniture", C_TABLE,
      "实木茶桌椅组合新中式功夫茶台办公室",
      "老榆木，含四把椅子；茶具另购。", {"尺寸": "1.6米"}, "2599.00"),
    # 家居 / 水杯、厨具、饰品（潮州，英文店） ---------------------------------------------------
    L("cer_mug_en", "chaozhou_home", C_MUG,
      "Ceramic coffee mug, 350ml, handmade stoneware",
      "Microwave and dishwasher safe.", {"Colour": "Sand"}, "59.00"),
    L("cer_mugs_set_en", "chaozhou_home", C_MUG,
      "Set of 4 ceramic mugs, speckled glaze",
      "Four matching 300ml mugs.", {"Colour": "Speckled white"}, "149.00"),
    L("cer_espresso_en", "chaozhou_home", C_TABLEWARE,
      "Porcelain espresso cups with saucers, set of 6",
      "80ml cups with matching saucers.", {"Colour": "White"}, "119.00"),
    L("cer_cup_lid_en", "chaozhou_home", C_MUG,
      "Ceramic travel cup with lid, 300ml",
      "Silicone lid and sleeve.", {"Colour": "Sage"}, "69.00"),
    L("cer_plates_en", "chaozhou_home", C_TABLEWARE,
      "Ceramic dinner plates, 10 inch, set of 4, matte",
      "Reactive matte glaze.", {"Colour": "Grey"}, "169.00"),
    L("cer_bowls_en", "chaozhou_home", C_TABLEWARE,
      "Porcelain rice bowls, 4.5 inch, set of 6",
      "Chaozhou white porcelain.", {"Colour": "White"}, "89.00"),
    L("cup_travel_steel_en", "chaozhou_home", C_THERMOS,
      "Stainless steel travel cup, insulated, 500ml",
      "Keeps drinks hot for 6 hours.", {"Colour": "Black"}, "79.00"),
    L("teapot_iron_en", "chaozhou_home", C_KETTLE,
      "Cast iron teapot, Japanese style, 1.2L",
      "Enamelled inside, with a steel infuser.", {"Colour": "Black"}, "259.00"),
    L("skillet_en", "chaozhou_home", C_COOKWARE,
      "Cast iron skillet, pre-seasoned, 10 inch",
      "Oven safe.", {}, "199.00"),
    L("cutting_board_en", "chaozhou_home", C_KNIFE,
      "Bamboo cutting board, large, with juice groove",
      "Organic bamboo.", {}, "69.00"),
    L("thermos_zh", "chaozhou_home", C_THERMOS,
      "保温杯316不锈钢大容量男女便携水杯500ml",
      "12小时保温。", {"颜色": "白色", "容量": "500ml"}, "69.00"),
    L("thermos_kids_zh", "chaozhou_home", C_THERMOS,
      "儿童保温杯带吸管316上学专用水壶",
      "防漏吸管，附背带。", {"颜色": "粉色", "容量": "400ml"}, "79.00"),
    L("glass_cup_zh", "chaozhou_home", C_GLASS,
      "玻璃杯耐热双层带把泡茶杯家用",
      "高硼硅玻璃，可泡茶。", {"容量": "350ml"}, "29.90"),
    L("vase_glass_zh", "chaozhou_home", C_VASE,
      "玻璃花瓶透明北欧水培插花客厅摆件",
      "加厚玻璃。", {"尺寸": "25cm"}, "39.00"),
    L("wok_zh", "chaozhou_home", C_COOKWARE,
      "不粘锅炒锅家用麦饭石电磁炉燃气通用",
      "少油烟，易清洗。", {"尺寸": "32cm"}, "129.00"),
    L("knife_zh", "chaozhou_home", C_KNIFE,
      "菜刀家用不锈钢切片刀厨房刀具",
      "阳江产。", {}, "59.00"),
    L("candle_en", "chaozhou_home", C_CANDLE,
      "Scented candle, soy wax, lavender, 200g",
      "40 hours burn time.", {"Scent": "Lavender"}, "79.00"),
    L("candle_zh", "chaozhou_home", C_CANDLE,
      "香薰蜡烛礼盒卧室持久助眠无烟",
      "大豆蜡，精油调香。", {"香型": "白茶"}, "69.00"),
    # 工艺品 / 陶瓷（景德镇） --------------------------------------------------------------------
    L("cer_teaset_en", "jdz_ceramics", C_TEA_SET,
      "Handmade ceramic tea cup set, Jingdezhen porcelain",
      "One pot and four cups, hand-thrown in Jingdezhen.", {"Colour": "Celadon"}, "268.00"),
    L("cer_teacup_zh", "jdz_ceramics", C_TEA_SET,
      "景德镇陶瓷茶杯 手绘青花主人杯 单杯品茗杯",
      "手绘青花，每只图案略有不同。", {"容量": "100ml"}, "88.00"),
    L("cer_teaset_zh", "jdz_ceramics", C_TEA_SET,
      "景德镇功夫茶具套装 家用陶瓷茶壶茶杯整套",
      "一壶六杯一公道杯。", {"颜色": "白瓷"}, "268.00"),
    L("cer_travel_teaset_zh", "jdz_ceramics", C_TEA_SET,
      "旅行茶具便携快客杯 一壶两杯 户外",
      "附收纳包。", {"颜色": "青瓷"}, "79.00"),
    L("cer_gaiwan_zh", "jdz_ceramics", C_TEA_SET,
      "白瓷盖碗茶碗 单个手工 景德镇三才碗",
      "薄胎白瓷，不烫手。", {"容量": "150ml"}, "68.00"),
    L("cer_vase_zh", "jdz_ceramics", C_CER_VASE,
      "景德镇陶瓷花瓶 青花瓷 客厅摆件 中式插花",
      "手工拉坯，青花釉下彩。", {"尺寸": "30cm"}, "198.00"),
    L("cer_vase_en", "jdz_ceramics", C_CER_VASE,
      "Jingdezhen blue and white porcelain vase, 30cm",
      "Hand-painted cobalt under a clear glaze.", {"Size": "30cm"}, "228.00"),
    L("cer_caddy_zh", "jdz_ceramics", C_JAR,
      "陶瓷茶叶罐 密封罐 青花瓷 储物罐",
      "硅胶密封盖，防潮。", {"尺寸": "中号"}, "49.00"),
    L("cer_mug_zh_white", "jdz_ceramics", C_MUG,
      "陶瓷马克杯大容量带盖勺情侣水杯 白色",
      "送不锈钢勺和陶瓷盖。", {"颜色": "白色"}, "35.00"),
    L("cer_mug_zh_black", "jdz_ceramics", C_MUG,
      "陶瓷马克杯大容量带盖勺情侣水杯 黑色",
      "送不锈钢勺和陶瓷盖。", {"颜色": "黑色"}, "35.00"),
    L("cer_mug_zh_pink", "jdz_ceramics", C_MUG,
      "陶瓷马克杯大容量带盖勺情侣水杯 粉色",
      "送不锈钢勺和陶瓷盖。", {"颜色": "粉色"}, "35.00"),
    L("cer_bowl_zh", "jdz_ceramics", C_TABLEWARE,
      "景德镇骨瓷餐具套装碗碟家用釉下彩56头",
      "釉下彩，可进微波炉。", {"规格": "56头"}, "599.00"),
    L("cer_teapot_en", "jdz_ceramics", C_TEA_SET,
      "Yixing clay teapot, zisha, 200ml",
      "Purple clay teapot for oolong and pu-erh.", {"Capacity": "200ml"}, "328.00"),
    L("zisha_teapot_zh", "jdz_ceramics", C_TEA_SET,
      "宜兴紫砂壶原矿朱泥西施壶手工泡茶壶",
      "全手工，原矿朱泥。", {"容量": "180ml"}, "358.00"),
    L("tea_tray_zh", "jdz_ceramics", C_TEA_TRAY,
      "竹制茶盘家用茶台排水式小型",
      "整竹压制，储水式。", {"尺寸": "40x27cm"}, "89.00"),
    L("basket_bamboo_en", "jdz_ceramics", C_BASKET,
      "Hand-woven bamboo basket with lid",
      "Woven by hand by village craftsmen.", {"Size": "M"}, "49.00"),
    L("basket_bamboo_zh", "jdz_ceramics", C_BASKET,
      "竹编收纳篮手工编织野餐篮",
      "老手艺人编织。", {"尺寸": "中号"}, "59.00"),
    # 丝绸、家纺（苏州） --------------------------------------------------------------------------
    L("silk_scarf_zh", "suzhou_silk", C_SILK_SCARF,
      "真丝丝巾桑蚕丝女春秋百搭方巾印花",
      "16姆米桑蚕丝，手工卷边。", {"颜色": "蓝色印花", "尺寸": "90x90cm"}, "198.00"),
    L("scarf_chiffon_zh", "suzhou_silk", C_SILK_SCARF,
      "雪纺丝巾长款防晒纱巾女夏季",
      "轻薄透气，可做披肩。", {"颜色": "浅粉"}, "29.90"),
    L("silk_pajamas_zh", "suzhou_silk", C_SLEEPWEAR,
      "真丝睡衣女长袖桑蚕丝家居服套装",
      "19姆米真丝，冰凉顺滑。", {"颜色": "香槟色", "尺码": "M"}, "589.00"),
    L("silk_quilt_zh", "suzhou_silk", C_QUILT,
      "蚕丝被100%桑蚕丝春秋被子母被双人",
      "手工拉丝，可拆分。", {"尺寸": "200x230cm", "重量": "2斤+4斤"}, "899.00"),
    L("silk_embroidery_zh", "suzhou_silk", C_EMBROIDERY,
      "苏绣手工刺绣装饰画猫咪客厅挂画",
      "镇湖绣娘手工绣制，真丝底料。", {"尺寸": "40x40cm"}, "1280.00"),
    L("silk_scarf_en", "suzhou_silk", C_SILK_SCARF,
      "Mulberry silk scarf, 90cm square, hand-rolled",
      "Printed in Suzhou on 16 momme silk.", {"Colour": "Red"}, "228.00"),
    L("silk_pillowcase_en", "suzhou_silk", C_PILLOW,
      "Silk pillowcase, 22 momme, queen size, ivory",
      "Hidden zip closure.", {"Colour": "Ivory"}, "199.00"),
    L("silk_mask_en", "suzhou_silk", C_EYE_MASK,
      "Silk sleep eye mask, adjustable strap",
      "Double-sided mulberry silk.", {"Colour": "Black"}, "59.00"),
    L("bedding_zh", "suzhou_silk", C_BEDDING,
      "纯棉四件套全棉床单被套1.8m简约",
      "40支全棉斜纹。", {"颜色": "灰色", "尺寸": "1.8m"}, "259.00"),
    L("pillow_zh", "suzhou_silk", C_PILLOW,
      "乳胶枕头泰国天然护颈单人成人",
      "天然乳胶，送枕套。", {}, "99.00"),
    L("mat_icesilk_zh", "suzhou_silk", C_SUMMER_MAT,
      "冰丝凉席三件套夏季可水洗1.8m",
      "冰丝面料，凉感不粘身。", {"尺寸": "1.8m"}, "129.00"),
    L("towel_zh", "suzhou_silk", C_TOWEL,
      "纯棉毛巾洗脸家用吸水不掉毛4条装",
      "长绒棉。", {"颜色": "混色"}, "39.90"),
    L("towel_en", "suzhou_silk", C_TOWEL,
      "Cotton bath towels, set of 4, quick dry",
      "600gsm cotton.", {"Colour": "White"}, "159.00"),
    # 食品 / 茶叶（杭州） -------------------------------------------------------------------------
    L("tea_longjing_mingqian", "hangzhou_tea", C_GREEN_TEA,
      "西湖龙井2024新茶明前特级绿茶250g罐装",
      "狮峰山茶园自家炒制。", {"规格": "250g", "等级": "特级"}, "398.00"),
    L("tea_longjing_yuqian", "hangzhou_tea", C_GREEN_TEA,
      "雨前龙井茶叶 绿茶 春茶 散装500g",
      "口粮茶，性价比高。", {"规格": "500g"}, "168.00"),
    L("tea_biluochun", "hangzhou_tea", C_GREEN_TEA,
      "洞庭碧螺春绿茶 明前 苏州特产 礼盒装",
      "花果香，卷曲成螺。", {"规格": "250g"}, "268.00"),
    L("tea_anji_white", "hangzhou_tea", C_GREEN_TEA,
      "安吉白茶2024新茶 珍稀绿茶 明前 100g",
      "氨基酸含量高，鲜爽。", {"规格": "100g"}, "158.00"),
    L("tea_jasmine", "hangzhou_tea", C_FLOWER_TEA,
      "茉莉花茶 浓香型 2024新茶 横县 罐装",
      "七窨茉莉，花香浓郁。", {"规格": "250g"}, "88.00"),
    L("tea_rose", "hangzhou_tea", C_FLOWER_TEA,
      "玫瑰花茶 平阴重瓣 干玫瑰 花草茶 50g",
      "低温烘干。", {"规格": "50g"}, "29.90"),
    L("tea_chrysanthemum", "hangzhou_tea", C_FLOWER_TEA,
      "胎菊 杭白菊 菊花茶 桐乡特级 罐装",
      "清火明目。", {"规格": "100g"}, "39.90"),
    L("tea_longjing_en", "hangzhou_tea", C_GREEN_TEA,
      "Dragon Well (Longjing) green tea, West Lake, 100g",
      "Pan-fired by hand by our family.", {"Weight": "100g"}, "198.00"),
    L("tea_maofeng_en", "hangzhou_tea", C_GREEN_TEA,
      "Huangshan Maofeng green tea, spring harvest, 125g",
      "Delicate orchid aroma.", {"Weight": "125g"}, "128.00"),
    L("lotus_powder_zh", "hangzhou_tea", C_LOTUS,
      "杭州西湖藕粉纯藕粉手工无添加500g",
      "开水冲调即食。", {"规格": "500g"}, "49.90"),
    # 食品 / 茶叶（安溪） -------------------------------------------------------------------------
    L("tea_tieguanyin", "anxi_tea", C_OOLONG,
      "安溪铁观音浓香型乌龙茶 茶叶礼盒500g",
      "传统炭焙，兰花香。", {"规格": "500g"}, "298.00"),
    L("tea_dahongpao", "anxi_tea", C_OOLONG,
      "武夷山大红袍岩茶 乌龙茶 特级 罐装",
      "岩骨花香。", {"规格": "250g"}, "358.00"),
    L("tea_zhengshan", "anxi_tea", C_BLACK_TEA,
      "正山小种红茶 武夷山桐木关 罐装250g",
      "松烟香，桂圆味。", {"规格": "250g"}, "158.00"),
    L("tea_oolong_en", "anxi_tea", C_OOLONG,
      "Tieguanyin oolong tea, loose leaf, Anxi",
      "Orchid-scented rolled leaves.", {"Weight": "250g"}, "168.00"),
    L("tea_dhp_en", "anxi_tea", C_OOLONG,
      "Da Hong Pao oolong tea, Wuyi rock tea, 100g",
      "Roasted, mineral finish.", {"Weight": "100g"}, "188.00"),
    L("milk_tea_zh", "anxi_tea", C_MILK_TEA,
      "奶茶粉速溶珍珠奶茶原料商用1kg",
      "奶茶店同款配方。", {"口味": "原味"}, "39.90"),
    # 食品 / 普洱（勐海） -------------------------------------------------------------------------
    L("tea_puer_ripe", "menghai_tea", C_PUER,
      "云南勐海普洱茶饼熟茶357g七子饼",
      "2019年压制，陈香醇厚。", {"规格": "357g"}, "198.00"),
    L("tea_puer_raw", "menghai_tea", C_PUER,
      "普洱茶饼 生茶 古树 冰岛 2018年春茶",
      "冰岛古树春茶。", {"规格": "357g"}, "688.00"),
    L("tea_dianhong", "menghai_tea", C_BLACK_TEA,
      "滇红 云南红茶 金芽 工夫红茶 250g",
      "蜜香金芽。", {"规格": "250g"}, "138.00"),
    L("tea_puer_en", "menghai_tea", C_PUER,
      "Aged Pu-erh tea cake, ripe, Menghai, 357g",
      "Pressed in 2019 from Menghai leaves.", {"Weight": "357g"}, "228.00"),
    L("flower_cake_zh", "menghai_tea", C_PASTRY,
      "云南鲜花饼玫瑰饼传统糕点10枚礼盒",
      "食用玫瑰现做。", {"规格": "10枚"}, "39.90"),
    # 食品 / 咖啡（普洱） -------------------------------------------------------------------------
    L("coffee_beans_zh", "puer_coffee", C_BEANS,
      "云南小粒咖啡豆新鲜烘焙中深烘保山454g",
      "自家庄园种植，下单后烘焙。", {"烘焙度": "中深烘", "规格": "454g"}, "79.00"),
    L("coffee_drip_zh", "puer_coffee", C_DRIP,
      "挂耳咖啡 云南普洱 手冲黑咖啡 10包",
      "现磨现封，氮气保鲜。", {"规格": "10包"}, "39.90"),
    L("coffee_instant_zh", "puer_coffee", C_INSTANT,
      "速溶黑咖啡粉 无蔗糖 美式 0脂 100条",
      "冷水速溶。", {"规格": "100条"}, "59.90"),
    L("coffee_beans_en", "puer_coffee", C_BEANS,
      "Yunnan Arabica coffee beans, medium roast, 500g",
      "Grown and roasted on our farm.", {"Roast": "Medium"}, "99.00"),
    L("coffee_green_en", "puer_coffee", C_BEANS,
      "Green coffee beans, unroasted, Yunnan Catimor, 1kg",
      "For home roasters.", {"Weight": "1kg"}, "89.00"),
    L("coffee_drip_en", "puer_coffee", C_DRIP,
      "Drip bag coffee, single origin Pu'er, 10 bags",
      "Hang the bag over your cup and pour.", {"Pack": "10 bags"}, "49.00"),
    L("coffee_cafe_en", "puer_coffee", C_BEANS,
      "Café au lait blend, ground coffee for moka pot",
      "A smooth blend for milky coffee.", {"Grind": "Moka"}, "69.00"),
    L("coffee_instant_en", "puer_coffee", C_INSTANT,
      "Instant coffee sticks, Yunnan, 3-in-1, 40 pcs",
      "Coffee, creamer and sugar in one stick.", {"Pack": "40"}, "45.00"),
    L("grinder_zh", "puer_coffee", C_GRINDER,
      "手摇磨豆机 咖啡豆研磨机 便携 陶瓷磨芯",
      "粗细可调。", {"颜色": "黑色"}, "69.00"),
    L("kettle_pour_over_zh", "puer_coffee", C_POUR_OVER,
      "手冲咖啡壶 细口壶 不锈钢 600ml",
      "鹅颈壶嘴，出水稳定。", {"容量": "600ml"}, "79.00"),
    # 食品 / 新疆特产 ---------------------------------------------------------------------------
    L("dates_zh", "hetian_orchard", C_DRIED_FRUIT,
      "新疆和田大枣特级骏枣红枣5斤免洗",
      "自家果园，自然晾干。", {"规格": "5斤"}, "89.00"),
    L("raisins_zh", "hetian_orchard", C_DRIED_FRUIT,
      "吐鲁番葡萄干无核绿香妃500g新疆特产",
      "阴房晾制。", {"规格": "500g"}, "29.90"),
    L("walnuts_zh", "hetian_orchard", C_NUTS,
      "新疆薄皮核桃纸皮阿克苏2024新货5斤",
      "手捏即开。", {"规格": "5斤"}, "79.00"),
    L("nuts_mix_zh", "hetian_orchard", C_NUTS,
      "每日坚果混合果仁30包孕妇零食",
      "含核桃仁、腰果、蔓越莓。", {"规格": "30包"}, "99.00"),
    L("dates_en", "hetian_orchard", C_DRIED_FRUIT,
      "Xinjiang red dates (jujube), premium, 1kg",
      "Sun-dried in Hotan.", {"Weight": "1kg"}, "69.00"),
    L("walnuts_en", "hetian_orchard", C_NUTS,
      "Paper-shell walnuts from Aksu, Xinjiang, 2kg",
      "Crack them by hand.", {"Weight": "2kg"}, "99.00"),
    L("honey_zh", "hetian_orchard", C_HONEY,
      "土蜂蜜农家自产百花蜜500g纯正",
      "天山脚下蜂场。", {"规格": "500g"}, "59.00"),
    L("apricot_zh", "hetian_orchard", C_DRIED_FRUIT,
      "新疆小白杏干无添加500g酸甜",
      "树上自然风干。", {"规格": "500g"}, "39.90"),
)

# Groups of one seller's listings whose titles differ only by a colour word. Search is expected to
# show only one member of a group high, so members are not labelled in ``must_find`` except when
# the query names the member's colour.
NEAR_DUPLICATES: tuple[tuple[str, ...], ...] = (
    ("dress_puff_red", "dress_puff_blue", "dress_puff_white"),
    ("socks_cotton_men_black", "socks_cotton_men_white", "socks_cotton_men_grey"),
    ("case_ip14_black", "case_ip14_white", "case_ip14_purple"),
    ("nightstand_log", "nightstand_walnut", "nightstand_white"),
    ("cer_mug_zh_white", "cer_mug_zh_black", "cer_mug_zh_pink"),
)

Q = LabelledQuery

# --- Queries ----------------------------------------------------------------------------------

QUERIES: tuple[LabelledQuery, ...] = (
    # Chinese: compound words inside longer titles, with distractors sharing characters.
    Q("连衣裙", "zh",
      ("dress_korean_slim", "dress_floral_chiffon", "dress_black_little", "dress_silk_mulberry"),
      "segmentation: 连衣裙 inside 韩版修身连衣裙…; distractors 半身裙, 裙子, 纱裙, 毛衣裙"),
    Q("修身 连衣裙", "zh", ("dress_korean_slim",),
      "two words, both in one title"),
    Q("真丝连衣裙", "zh", ("dress_silk_mulberry",),
      "no space: 真丝 + 连衣裙"),
    Q("半身裙", "zh", ("skirt_pleated", "skirt_denim"),
      "segmentation; the pleated skirt's description mentions 连衣裙 (reverse distractor)"),
    Q("针织衫", "zh", ("sweater_cashmere_zh",),
      "compound at the end of a title; 针织开衫 / 针织连衣裙 only share characters"),
    Q("袜子", "zh", ("socks_kids_zh", "socks_wool_zh"),
      "segmentation; 丝袜, 船袜, 运动袜 lack 袜子; near-duplicate men's socks unlabelled"),
    Q("船袜", "zh", ("socks_boat_zh",), "short compound at the start of a title"),
    Q("运动袜", "zh", ("socks_sport_zh",),
      "distractors 运动鞋, 运动裤, 运动鞋垫 share 运动"),
    Q("绿茶", "zh",
      ("tea_longjing_mingqian", "tea_longjing_yuqian", "tea_biluochun", "tea_anji_white"),
      "segmentation: 绿茶 inside 特级绿茶, 珍稀绿茶, 碧螺春绿茶"),
    Q("绿茶 龙井", "zh", ("tea_longjing_mingqian", "tea_longjing_yuqian"),
      "two words; 西湖龙井 and 雨前龙井"),
    Q("乌龙茶", "zh", ("tea_tieguanyin", "tea_dahongpao"), "three-character compound"),
    Q("普洱茶饼", "zh", ("tea_puer_ripe", "tea_puer_raw"),
      "glued compound in longer titles; 普洱 is also the coffee farm's city (云南普洱)"),
    Q("红茶", "zh", ("tea_dianhong", "tea_zhengshan"),
      "distractors 大红袍, 奶茶 share characters"),
    Q("花茶", "zh", ("tea_jasmine", "tea_rose"),
      "花茶 inside 茉莉花茶 / 玫瑰花茶; 鲜花饼 shares 花"),
    Q("茶叶", "zh", ("tea_longjing_yuqian", "tea_tieguanyin"),
      "distractor 茶叶罐 (a ceramic caddy) and 茶杯, 茶具, 茶盘"),
    Q("咖啡豆", "zh", ("coffee_beans_zh",),
      "distractor 咖啡豆研磨机 (a grinder) is acceptable but not required"),
    Q("挂耳咖啡", "zh", ("coffee_drip_zh",), "compound at the start of a title"),
    Q("云南 咖啡", "zh", ("coffee_beans_zh", "coffee_drip_zh"),
      "place + product; 云南小粒咖啡豆 and 挂耳咖啡 云南普洱"),
    Q("茶杯", "zh", ("cer_teacup_zh", "cer_teaset_zh"),
      "茶杯 vs 茶叶, 茶具, 保温杯; 泡茶杯 (glass) acceptable"),
    Q("陶瓷茶杯", "zh", ("cer_teacup_zh", "cer_teaset_zh"),
      "no space: 陶瓷 + 茶杯, in 陶瓷茶杯 and 陶瓷茶壶茶杯"),
    Q("茶具", "zh", ("cer_teaset_zh", "cer_travel_teaset_zh"),
      "the tea table's description mentions 茶具 (description-only match)"),
    Q("花瓶", "zh", ("cer_vase_zh", "vase_glass_zh"),
      "two shops, two categories (陶瓷 and 家居饰品)"),
    Q("青花瓷", "zh", ("cer_vase_zh", "cer_caddy_zh"),
      "手绘青花 (teacup) shares 青花 but not 青花瓷"),
    Q("陶瓷马克杯 黑色", "zh", ("cer_mug_zh_black",),
      "near-duplicate group: the member named by the colour must be the one shown"),
    Q("保温杯", "zh", ("thermos_zh", "thermos_kids_zh"), "compound; 儿童保温杯"),
    Q("手机壳", "zh",
      ("case_iphone15_clear", "case_apple_magsafe", "case_huawei_mate60", "case_xiaomi14"),
      "distractors 手机支架, 手机膜, 手机挂绳; near-duplicate iPhone 14 cases unlabelled"),
    Q("苹果手机壳", "zh", ("case_apple_magsafe",),
      "no space: brand + type; 苹果数据线 / 苹果20W…充电器 share 苹果 only"),
    Q("华为 手机壳", "zh", ("case_huawei_mate60",),
      "brand + type; brand glued to a model (华为Mate60Pro手机壳)"),
    Q("华为 充电器", "zh", ("charger_huawei",),
      "brand + type; cable_typec_1m mentions 华为 but is a cable"),
    Q("充电器", "zh", ("charger_huawei", "charger_apple_20w", "charger_car_zh"),
      "distractors 充电宝, 充电线, 充电头"),
    Q("手机支架", "zh", ("holder_car_zh", "holder_desk_zh"),
      "distractor 手机壳; 笔记本电脑支架 shares 支架"),
    Q("数据线", "zh", ("cable_typec_1m", "cable_typec_2m", "cable_lightning"),
      "Latin glued to Chinese: Type-C数据线"),
    Q("蓝牙耳机", "zh", ("earbuds_zh", "earbuds_neck_zh"),
      "distractors 有线耳机, 蓝牙音箱"),
    Q("鼠标", "zh", ("mouse_zh",), "distractor 鼠标垫"),
    Q("机械键盘", "zh", ("keyboard_zh",), "compound at the start of a title"),
    Q("充电宝", "zh", ("powerbank_zh",), "distractor 充电器"),
    Q("笔记本电脑支架", "zh", ("laptop_stand_zh",),
      "long query; distractors 笔记本 (notebook), 手机支架, 无线鼠标…笔记本电脑通用"),
    Q("书架", "zh", ("shelf_solid_wood", "shelf_kids", "shelf_iron"),
      "distractors 书包, 书桌, 花架, 衣帽架, 书柜"),
    Q("实木 书架", "zh", ("shelf_solid_wood",),
      "two words; many 实木 distractors (书桌, 床头柜, 鞋柜, 茶桌)"),
    Q("实木书桌", "zh", ("desk_solid_zh",),
      "no space; 台灯 title mentions 书桌 without 实木"),
    Q("书包", "zh", ("bookbag_primary_zh", "bookbag_middle_zh"), "distractor 书架"),
    Q("双肩包", "zh", ("backpack_zh", "bookbag_middle_zh"), "at the start and in the middle"),
    Q("沙发", "zh", ("sofa_fabric_zh", "sofa_lazy_zh"), "布艺沙发 and 懒人沙发"),
    Q("行李箱", "zh", ("suitcase_zh",), "compound in the middle of a title"),
    Q("运动鞋", "zh", ("shoes_running_zh", "shoes_kids_zh"),
      "distractors 运动鞋垫 (insoles), 运动袜, 运动裤"),
    Q("帆布鞋", "zh", ("shoes_canvas_zh",), "compound at the start of a title"),
    Q("丝巾", "zh", ("silk_scarf_zh", "scarf_chiffon_zh"),
      "真丝丝巾 and 雪纺丝巾; 丝袜 shares 丝"),
    Q("真丝", "zh", ("silk_scarf_zh", "silk_pajamas_zh", "dress_silk_mulberry"),
      "distractor 冰丝 (ice silk); the embroidery's description mentions 真丝"),
    Q("蚕丝被", "zh", ("silk_quilt_zh",), "three-character compound"),
    Q("红枣", "zh", ("dates_zh",), "distractor 大枣 in the same title is fine"),
    Q("核桃", "zh", ("walnuts_zh",),
      "the mixed nuts' description mentions 核桃仁 (description-only match)"),
    # Mixed Chinese and Latin (language "zh").
    Q("iphone 手机壳", "zh", ("case_iphone15_clear",),
      "mixed language, lowercase iphone vs iPhone; iPhone 14 near-duplicates unlabelled"),
    Q("type-c 数据线", "zh", ("cable_typec_1m", "cable_typec_2m"),
      "mixed language with a hyphen; Type-C数据线 without a space"),
    Q("MagSafe 手机壳", "zh", ("case_apple_magsafe",),
      "mixed language; MagSafe glued between Chinese words"),
    Q("苹果 20W 充电器", "zh", ("charger_apple_20w",), "mixed language with a number+unit"),
    Q("ipad 保护套", "zh", ("tablet_case_zh",), "mixed language; iPad保护套 without a space"),
    # English: single words, plurals and stems.
    Q("dress", "en", ("dress_floral_en", "dress_linen_en"), "single word"),
    Q("knitted", "en",
      ("cardigan_knit_en", "scarf_knit_en", "beanie_knit_en", "sweater_merino_en"),
      "stemming: knitted / knit; knitting yarn acceptable but not required"),
    Q("sweaters", "en", ("sweater_merino_en", "sweater_fisherman_en"), "plural → singular"),
    Q("scarf", "en", ("silk_scarf_en", "scarf_knit_en"), "single word, two shops"),
    Q("socks", "en", ("socks_hiking_en", "socks_ankle_en", "socks_christmas_en"),
      "single word"),
    Q("green tea", "en", ("tea_longjing_en", "tea_maofeng_en"),
      "multi-word; distractor Green coffee beans"),
    Q("pu-erh tea", "en", ("tea_puer_en",), "hyphenated word"),
    Q("coffee beans", "en", ("coffee_beans_en", "coffee_green_en"),
      "multi-word; other coffee listings share only coffee"),
    Q("café", "en", ("coffee_cafe_en", "chair_bistro_en"),
      "accent: café must also find the unaccented Cafe bistro chair"),
    Q("cafe", "en", ("coffee_cafe_en", "chair_bistro_en"),
      "accent: cafe must also find Café au lait"),
    Q("ceramic cup", "en", ("cer_teaset_en", "cer_cup_lid_en"),
      "multi-word; ceramic mugs and plates share only ceramic"),
    Q("cups", "en",
      ("cer_teaset_en", "cer_espresso_en", "cer_cup_lid_en", "cup_travel_steel_en"),
      "stemming: cups / cup"),
    Q("mugs", "en", ("cer_mug_en", "cer_mugs_set_en"), "stemming: mugs / mug"),
    Q("teapot", "en", ("cer_teapot_en", "teapot_iron_en"), "single word, two shops"),
    Q("jingdezhen tea cup", "en", ("cer_teaset_en",),
      "place name + two words"),
    Q("jingdezhen", "en", ("cer_teaset_en", "cer_vase_en"), "place name in English titles"),
    Q("chargers", "en", ("charger_gan_en", "charger_wireless_en"),
      "stemming: chargers / charger; charging-only listings acceptable"),
    Q("fast charging", "en", ("cable_usbc_en", "charger_wireless_en"),
      "multi-word; USB charging port backpack shares charging only"),
    Q("wireless charger", "en", ("charger_wireless_en",),
      "multi-word; wireless earbuds / mouse share wireless only"),
    Q("wireless earbuds", "en", ("earbuds_en", "earbuds_sport_en"), "multi-word"),
    Q("earbud", "en", ("earbuds_en", "earbuds_sport_en"), "stemming: singular query"),
    Q("keyboard", "en", ("keyboard_en", "keyboard_bt_en"), "single word"),
    Q("mechanical keyboard", "en", ("keyboard_en",), "multi-word"),
    Q("phone case", "en", ("case_clear_en", "case_leather_en"),
      "multi-word; Bookcase / suitcase must not count as case"),
    Q("phone cases", "en", ("case_clear_en", "case_leather_en"), "plural multi-word"),
    Q("phone stand", "en", ("holder_en",), "multi-word; distractor laptop stand"),
    Q("power bank", "en", ("powerbank_en",), "multi-word"),
    Q("bluetooth speaker", "en", ("speaker_en",), "multi-word; other Bluetooth devices"),
    Q("usb-c cable", "en", ("cable_usbc_en",), "hyphenated; many USB-C listings, one cable"),
    Q("backpack", "en", ("backpack_laptop_en", "backpack_travel_en"), "single word"),
    Q("tote bag", "en", ("tote_en",), "multi-word; Drip bag coffee shares bag"),
    Q("shoes", "en", ("shoes_running_en", "shoe_canvas_en"),
      "stemming: shoes / shoe; Shoe rack acceptable but not required"),
    Q("sneaker", "en", ("sneakers_en", "shoe_canvas_en"), "stemming: sneaker / sneakers"),
    Q("silk", "en", ("silk_scarf_en", "silk_pillowcase_en", "silk_mask_en"), "single word"),
    Q("bookcase", "en", ("shelf_bookcase_en",), "single word (bookshelf is not a synonym here)"),
    Q("solid wood", "en", ("shelf_en", "table_dining_en"), "multi-word"),
    Q("chairs", "en", ("chair_bistro_en", "chair_office_en"), "stemming: chairs / chair"),
    Q("desk", "en", ("desk_en", "desk_writing_en"),
      "single word; desk lamp and phone stand for desk acceptable"),
    Q("walnuts", "en", ("walnuts_en",), "plural; dining table in walnut acceptable"),
    Q("fountain pen", "en", ("pen_fountain_en",), "multi-word"),
    # English: one-letter typos in words of 5+ letters.
    Q("cardigam", "en", ("cardigan_knit_en", "cardigan_cotton_en"),
      "typo: substitution in cardigan"),
    Q("hikng socks", "en", ("socks_hiking_en",), "typo: deletion in hiking"),
    Q("olong tea", "en", ("tea_oolong_en", "tea_dhp_en"), "typo: deletion in oolong"),
    Q("cofee beans", "en", ("coffee_beans_en", "coffee_green_en"), "typo: deletion in coffee"),
    Q("ceramc cup", "en", ("cer_teaset_en", "cer_cup_lid_en"), "typo: deletion in ceramic"),
    Q("porcelaim vase", "en", ("cer_vase_en",), "typo: substitution in porcelain"),
    Q("teapit", "en", ("cer_teapot_en", "teapot_iron_en"), "typo: substitution in teapot"),
    Q("chargr", "en", ("charger_gan_en", "charger_wireless_en"), "typo: deletion in charger"),
    Q("wirless earbuds", "en", ("earbuds_en", "earbuds_sport_en"),
      "typo: deletion in wireless"),
    Q("headphnes", "en", ("headphones_en",), "typo: deletion in headphones"),
    Q("backpak", "en", ("backpack_laptop_en", "backpack_travel_en"),
      "typo: deletion in backpack"),
    Q("suitcasr", "en", ("suitcase_en",), "typo: substitution in suitcase"),
    Q("runnning shoes", "en", ("shoes_running_en",), "typo: insertion in running"),
    Q("pillowcasse", "en", ("silk_pillowcase_en",), "typo: insertion in pillowcase"),
)

# fmt: on

if __name__ == "__main__":
    from decimal import Decimal

    problems: list[str] = []

    shop_keys = [shop.key for shop in SHOPS]
    if len(set(shop_keys)) != len(shop_keys):
        problems.append("duplicate shop keys")
    for shop in SHOPS:
        if len(shop.name) > 40:
            problems.append(f"shop name too long: {shop.name}")
        if not (shop.province and shop.city):
            problems.append(f"shop without a place: {shop.key}")
    if len({shop.name.lower() for shop in SHOPS}) != len(SHOPS):
        problems.append("duplicate shop names (case-insensitive)")

    listing_keys = [listing.key for listing in LISTINGS]
    duplicates = sorted({key for key in listing_keys if listing_keys.count(key) > 1})
    if duplicates:
        problems.append(f"duplicate listing keys: {duplicates}")
    known_listings = set(listing_keys)
    for listing in LISTINGS:
        if listing.shop not in shop_keys:
            problems.append(f"{listing.key}: unknown shop {listing.shop}")
        if not 1 <= len(listing.category) <= 3 or any(
            not name or len(name) > 60 for name in listing.category
        ):
            problems.append(f"{listing.key}: bad category {listing.category}")
        if not listing.title or len(listing.title) > 60:
            problems.append(f"{listing.key}: title length {len(listing.title)}")
        if len(listing.description) > 5000:
            problems.append(f"{listing.key}: description too long")
        if Decimal(listing.price) <= 0 or Decimal(listing.price).as_tuple().exponent != -2:
            problems.append(f"{listing.key}: bad price {listing.price}")
        if not all(isinstance(v, str) for v in listing.attributes.values()):
            problems.append(f"{listing.key}: attribute values must be strings")

    for group in NEAR_DUPLICATES:
        for key in group:
            if key not in known_listings:
                problems.append(f"near-duplicate group names unknown listing {key}")
        if len({next(x.shop for x in LISTINGS if x.key == key) for key in group}) != 1:
            problems.append(f"near-duplicate group spans shops: {group}")

    query_texts = [query.text for query in QUERIES]
    if len(set(query_texts)) != len(query_texts):
        problems.append("duplicate query texts")
    for query in QUERIES:
        if query.language not in ("zh", "en"):
            problems.append(f"{query.text}: bad language {query.language}")
        if not 1 <= len(query.must_find) <= 6:
            problems.append(f"{query.text}: {len(query.must_find)} must_find keys")
        if len(set(query.must_find)) != len(query.must_find):
            problems.append(f"{query.text}: repeated must_find key")
        for key in query.must_find:
            if key not in known_listings:
                problems.append(f"{query.text}: unknown listing {key}")

    zh = sum(1 for query in QUERIES if query.language == "zh")
    en = sum(1 for query in QUERIES if query.language == "en")
    typos = sum(1 for query in QUERIES if query.note.startswith("typo"))
    categories = {listing.category[:depth] for listing in LISTINGS for depth in (1, 2, 3)}
    if zh < 32 or en < 32:
        problems.append(f"too few queries: zh={zh} en={en}")
    if typos < 8:
        problems.append(f"too few typo queries: {typos}")

    print(f"shops: {len(SHOPS)}")
    print(f"listings: {len(LISTINGS)}")
    print(f"category nodes: {len(categories)}")
    print(f"near-duplicate groups: {len(NEAR_DUPLICATES)}")
    print(f"queries: {len(QUERIES)} (zh {zh}, en {en}, English typo {typos})")
    if problems:
        print("PROBLEMS:")
        for problem in problems:
            print(f"  - {problem}")
        raise SystemExit(1)
    print("OK")
