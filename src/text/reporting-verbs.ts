/**
 * The verbs Chinese news reports attribute words with (…表示, …指出, …认为, …告诉记者, 说道 and
 * 展望道 with the optional 道): a clause that ends in one introduces what the speaker said. One
 * list, as a regular-expression group, for every rule that reads attributions.
 */
export const REPORTING_VERB = '(?:表示|说|介绍|指出|认为|强调|坦言|直言|谈道|谈到|提到|感慨|透露|告诉记者|展望|称)道?';

/**
 * Verbs that attribute a proposal (她建议，… / 王磊提出，…). Not in REPORTING_VERB: at a sentence's
 * end they are usually the noun or a passive (…关于筹资机制的意见建议。), not an attribution.
 */
export const PROPOSING_VERB = '(?:建议|提出|呼吁)';

/**
 * Every word for proposing that a question asks with or a report writes: the reports' verbs,
 * the colloquial 提了, the formal 提议/主张/倡议 and the noun 提案. One list for the rules that
 * ask "is this about proposals".
 */
export const PROPOSAL_WORD = '(?:建议|提出|提了|提议|主张|呼吁|倡议|提案)';
