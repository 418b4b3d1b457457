/**
 * Saved news pages in the shapes of real Chinese news and CPPCC sites, written for the tests
 * (the sentences are the tests' own). Each page has the furniture readers skip: a header with
 * logo and menu, a breadcrumb, a byline/source/date line, an editor line, share buttons, a list
 * of related links and a footer with copyright and ICP licence. `chrome` lists strings of that
 * furniture; none may reach the index.
 */

export interface NewsPage {
  html: string;
  title: string;
  /** The forum's date as the article should carry it. */
  date: string;
  url?: string;
  publisher?: string;
  /** Strings of the page's furniture. */
  chrome: string[];
}

/** A commercial news site (新京报-like): Open Graph tags, div layout, share bar, 相关推荐, footer. */
export function newspaperPage(): NewsPage {
  const title = '委员建言城市更新：让老旧小区焕发新活力';
  const url = 'https://news.example.cn/detail/1705730000123.html';
  const related = ['北京今年将完成三百个老旧小区综合整治任务', '市民热议城市副中心建设的新变化新气象', '这个冬天的供暖季有哪些新举措值得关注'];
  const html = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>${title}_京华日报</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="${title}">
<meta property="og:site_name" content="京华日报">
<meta property="og:url" content="${url}">
<meta property="article:published_time" content="2024-01-20T18:20:00+08:00">
<link rel="canonical" href="${url}">
<link rel="stylesheet" href="/static/css/detail.css">
<script>window.__PAGE__ = { channel: "北京", id: 1705730000123 };</script>
<style>.nav li { float: left; }</style>
</head><body>
<div class="header"><div class="logo"><a href="/"><img src="/logo.png" alt="京华日报"></a></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/politics">时事</a></li><li><a href="/beijing">北京</a></li><li><a href="/finance">财经</a></li><li><a href="/sports">体育</a></li><li><a href="/video">视频</a></li></ul>
<div class="app-banner"><a href="/app">下载京华日报客户端</a></div></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/beijing">北京</a> &gt; 正文</div>
<div class="main"><div class="content">
<h1 class="title">${title}</h1>
<div class="info"><span class="source">京华日报</span> <span class="time">2024-01-20 18:20</span> <span class="author">记者 王晓雪</span></div>
<div class="article-text" id="contentStr">
<p>京华日报讯（记者 王晓雪）1月20日，北京市政协十四届二次会议召开“推进城市更新”专题座谈会，委员们围绕老旧小区改造建言献策。</p>
<p><strong>建立居民议事平台</strong></p>
<p>市政协委员、北京建筑大学教授李春梅表示，城市更新要坚持“留改拆”并举，既要保护城市风貌，又要改善居民生活条件。她建议建立居民议事平台，让居民全程参与改造方案的制定。</p>
<p><strong>加装电梯“一梯一策”</strong></p>
<p>市政协委员、北京某某规划设计研究院院长陈立新认为，老旧小区加装电梯是居民最关心的问题之一。他建议简化审批流程，
并探索“一梯一策”的资金分担机制，让更多楼门装上电梯。</p>
<p>编辑 张树婧 校对 贾宁</p>
</div>
<div class="share"><span>分享到：</span><a class="wx">微信</a><a class="wb">微博</a><a class="qq">QQ空间</a></div>
</div>
<div class="related"><h3>相关推荐</h3><ul>${related.map((text, i) => `<li><a href="/detail/${i}.html">${text}</a></li>`).join('')}</ul></div></div>
<div class="footer"><p><a href="/about">关于我们</a> | <a href="/contact">联系我们</a> | <a href="/ads">广告服务</a></p>
<p>Copyright © 2024 京华日报社 版权所有 未经授权不得转载</p><p>京ICP备12345678号-1</p></div>
</body></html>`;
  return {
    html, title, date: '2024-01-20', url, publisher: '京华日报',
    chrome: ['时事', '财经', '体育', '客户端', '正文', '编辑 张树婧', '校对', '贾宁', '分享到', '微信', '微博', 'QQ空间', '相关推荐', ...related, '关于我们', '版权所有', 'ICP', '京华日报讯'],
  };
}

/** A government CPPCC site: table layout, the national guidelines' meta tags, 字号/打印本页, 相关文章, 主办单位 footer. */
export function governmentPage(): NewsPage {
  const title = '市政协召开“优化营商环境”协商座谈会';
  const url = 'http://www.zx.example.gov.cn/wyfc/202503/t20250312_4567.html';
  const related = ['市政协举行常委会议审议年度协商计划安排', '委员们深入基层调研中小微企业发展状况', '市政协召开提案办理工作座谈会听取意见'];
  const html = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="SiteName" content="北京市政协">
<meta name="ColumnName" content="委员风采">
<meta name="ArticleTitle" content="${title}">
<meta name="PubDate" content="2025-03-12 09:30">
<meta name="ContentSource" content="首都日报">
<meta name="Url" content="${url}">
<title>${title}-北京市政协</title>
</head><body>
<table width="1000" class="top"><tr><td><img src="/images/logo.gif" alt="北京市政协"></td><td>2025年3月12日 星期三</td></tr>
<tr><td><a href="/">网站首页</a></td><td><a href="/zxyw/">政协要闻</a></td><td><a href="/wyfc/">委员风采</a></td><td><a href="/tagl/">提案工作</a></td><td><a href="/lzzl/">履职资料</a></td></tr></table>
<div class="position">您的位置：<a href="/">首页</a> &gt; <a href="/wyfc/">委员风采</a> &gt; 正文</div>
<div class="pages">
<div class="pages-title">${title}</div>
<div class="pages-date">发布时间：2025-03-12 09:30　来源：首都日报　<span class="font">字号：<a>大</a> <a>中</a> <a>小</a></span></div>
<div class="pages_content" id="UCAP-CONTENT">
<p style="text-indent:2em">3月11日，市政协召开“持续优化营商环境”协商座谈会，委员们围绕助企纾困、政务服务等话题协商议政。</p>
<p style="text-indent:2em">市政协委员、北京某某律师事务所主任周文博建议，进一步压缩企业开办时间，推行“一网通办”，让企业办事少跑腿。</p>
<p style="text-indent:2em">市政协委员、中关村某某科技有限公司总经理孙海燕表示，中小企业融资难的问题仍然突出。她建议设立首贷服务中心，扩大知识产权质押融资规模，为科技型中小企业提供更多金融支持。</p>
<p style="text-indent:2em">（责任编辑：刘一鸣）</p>
</div>
<div class="pages-tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="xgwz"><div class="xgwz-title">相关文章</div>
${related.map((text, i) => `<a href="/${i}.html">${text}</a><br>`).join('\n')}
</div>
<div class="bottom"><p>主办单位：中国人民政治协商会议北京市委员会　地址：北京市某某区某某路1号</p>
<p>版权所有：北京市政协　京ICP备05000000号　京公网安备11010202000000号</p><p>网站标识码：BJ0000000001</p></div>
</body></html>`;
  return {
    html, title, date: '2025-03-11', url, publisher: '首都日报',
    chrome: ['网站首页', '政协要闻', '提案工作', '履职资料', '星期三', '您的位置', '发布时间', '字号', '打印本页', '关闭窗口', '责任编辑', '刘一鸣', '相关文章', ...related, '主办单位', '版权所有', 'ICP', '公网安备', '网站标识码'],
  };
}

/**
 * A portal's HTML5 page with no metadata tags at all: <header>/<nav>/<main>/<article>/<aside>/<footer>,
 * the title only in <h1> and <title>, the date only in a "来源 … 发布时间" line, and a share bar
 * and a "相关阅读" list inside the <article>.
 */
export function portalPage(): NewsPage {
  const title = '政协委员热议养老服务：让老年人就近享受优质照护';
  const related = ['养老驿站如何更好满足老年人多样化需求', '社区食堂开到家门口老人吃饭更方便了', '适老化改造补贴政策今年有哪些新变化'];
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}-首都之窗网</title></head>
<body>
<header class="site-header"><a class="logo" href="/">首都之窗网</a>
<nav><a href="/">首页</a> | <a href="/news">要闻</a> | <a href="/live">直播</a> | <a href="/culture">文化</a> | <a href="/tech">科技</a></nav>
<form class="search"><input name="q" placeholder="搜索"><button>搜索</button></form></header>
<main>
<article>
<header><h1>${title}</h1>
<p class="meta">来源：首都之窗网　发布时间：2024-07-02 10:12　阅读：3281</p></header>
<p>7月1日，区政协召开“完善社区养老服务体系”协商议政会，来自医疗卫生、社会福利等领域的委员提出意见建议。</p>
<p>区政协委员、某某社区卫生服务中心主任吴桂兰提出，要推动医疗资源向养老驿站延伸，建立家庭医生上门巡诊制度，让行动不便的老人在家门口就能看病。</p>
<p>区政协委员、某某养老服务有限公司董事长郑国强建议，加大对社区嵌入式养老机构的扶持力度，完善护理人员职业培训和薪酬激励，稳定一线照护队伍。</p>
<p>（首都之窗网记者 林晓峰）</p>
<div class="share-bar">分享到： 微信 微博 QQ空间 复制链接</div>
<section class="related-reading"><h3>相关阅读</h3><ul>${related.map((text, i) => `<li><a href="/news/${i}.html">${text}</a></li>`).join('')}</ul></section>
</article>
<aside class="hot"><h3>热点新闻</h3><ol><li><a href="/h1">暑期文旅消费持续升温</a></li><li><a href="/h2">地铁新线开通运营首日见闻</a></li></ol></aside>
</main>
<footer><p>违法和不良信息举报电话：010-12345678　举报邮箱：jubao@example.cn</p><p>Copyright © 2024 首都之窗网 版权所有　京ICP备87654321号</p></footer>
</body></html>`;
  return {
    html, title, date: '2024-07-01', publisher: '首都之窗网',
    chrome: ['要闻', '直播', '科技', '搜索', '阅读：', '3281', '分享到', '复制链接', '相关阅读', ...related, '热点新闻', '暑期文旅消费持续升温', '举报', 'jubao', '版权所有', 'ICP', '林晓峰'],
  };
}
