/**
 * Chinese surnames: the single-character surnames of the 百家姓 and the modern ones it lacks
 * (覃, 冼, 邝, 麦, 佟…), and the compound surnames (欧阳, 司马…). A name in a report is a
 * surname and a given name of one or two characters; knowing where a surname can start tells a
 * name from the words around it ("院长林景澍表示": the name starts at 林).
 */
const SINGLE =
  '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎' +
  '鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄' +
  '和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭' +
  '梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚' +
  '程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫' +
  '宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双' +
  '闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容' +
  '向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空' +
  '曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公岳帅缑亢况琴商佘佴墨哈谯笪年爱阳佟' +
  '覃冼邝麦鄢付代兰练晋楚来揭粟植区闫肖岑谌苟唐欧';

const COMPOUND = [
  '欧阳', '司马', '上官', '夏侯', '诸葛', '闻人', '东方', '赫连', '皇甫', '尉迟', '公羊', '澹台', '公冶', '宗政',
  '濮阳', '淳于', '单于', '太叔', '申屠', '公孙', '仲孙', '轩辕', '令狐', '钟离', '宇文', '长孙', '慕容', '鲜于',
  '闾丘', '司徒', '司空', '端木', '百里', '东郭', '南宫', '西门', '呼延', '万俟', '梁丘', '左丘', '第五',
];

const SINGLE_SET = new Set(SINGLE);
const COMPOUND_SET = new Set(COMPOUND);

/** How many characters of a surname start at text[at]: 2 (欧阳), 1 (林) or 0. */
export function surnameLengthAt(text: string, at: number): number {
  if (COMPOUND_SET.has(text.slice(at, at + 2))) return 2;
  return SINGLE_SET.has(text[at] ?? '') ? 1 : 0;
}

/** The surname a full name starts with. */
export function surnameOf(name: string): string {
  return name.slice(0, surnameLengthAt(name, 0) || 1);
}
