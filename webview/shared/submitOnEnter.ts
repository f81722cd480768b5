/**
 * Enter in a one-line field inside `root` (or `root` itself) runs `run`; Ctrl+Enter (⌘+Enter) does in a multi-line
 * one. Not while an input method is composing: there Enter picks the characters typed (pinyin, say), and the action
 * must wait for the user's own Enter. `canRun` is asked first (a disabled button's action does nothing).
 */
export function submitOnEnter(root: HTMLElement, run: () => void, canRun: () => boolean = () => true): void {
  root.addEventListener('keydown', (event) => {
    // keyCode 229: the key went to the input method (Chromium's signal, also on the keydown that ends composing).
    if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229 || !canRun()) return;
    const target = event.target;
    const oneLine = target instanceof HTMLInputElement && target.type !== 'checkbox' && target.type !== 'radio';
    if (oneLine || (target instanceof HTMLTextAreaElement && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      run();
    }
  });
}
