/** "zh" when the text is mostly Han characters, else "en" (the two languages users ask in). */
export function questionLanguage(text: string): 'zh' | 'en' {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han * 2 >= latin / 3 ? 'zh' : 'en';
}

/** An answer sentence written in English: its Latin letters more than twice its Han characters (Chinese terms in parentheses allowed). */
export function writtenInEnglish(text: string): boolean {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return latin > han * 2;
}
