export { questionLanguage } from '../text/language.js';

export function refusalText(language: 'zh' | 'en'): string {
  return language === 'zh'
    ? '这些政协论坛报道中没有提到这一点，无法据此回答。'
    : "The forum articles don't cover this, so I can't answer it from them.";
}
