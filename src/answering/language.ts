/** "zh" when the text is mostly Han characters, else "en" (the two languages users ask in). */
export function questionLanguage(text: string): 'zh' | 'en' {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/g)?.length ?? 0;
  return han > 0 && han * 2 >= latin / 3 ? 'zh' : 'en';
}

export function refusalText(language: 'zh' | 'en'): string {
  return language === 'zh'
    ? '这些政协论坛报道中没有提到这一点，无法据此回答。'
    : "The forum articles don't cover this, so I can't answer it from them.";
}
