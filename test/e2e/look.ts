/* Checks of how a panel looks that hold for every panel: no text cut short, toolbars on one line, icons that draw. */
import type { Frame } from 'playwright-core';

/**
 * Every label, heading, button, column heading, option and placeholder shown in the frame whose text does not fit
 * its box. Options and placeholders are measured with the control's own font against the room it leaves them.
 */
export function cutTexts(frame: Frame): Promise<string[]> {
  return frame.evaluate(`(() => {
    const cut = [];
    const ctx = document.createElement('canvas').getContext('2d');
    const textWidth = (el, text) => { const cs = getComputedStyle(el); ctx.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily; return ctx.measureText(text).width; };
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const room = (el, extra) => { const cs = getComputedStyle(el); return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - extra; };
    // A row of column headings wider than its table has headings out of sight.
    for (const el of document.querySelectorAll('button, .field-label, .columns, .columns .cell, .tab, summary, h1, h2:not(.key-name), label')) {
      if (shown(el) && el.scrollWidth > el.clientWidth + 1) cut.push((el.textContent || el.getAttribute('aria-label') || '').trim());
    }
    for (const el of document.querySelectorAll('select')) {
      if (!shown(el)) continue;
      // Chromium draws the drop-down arrow in about 20 px of the select.
      for (const option of el.options) if (textWidth(el, option.text) > room(el, 20)) cut.push('option: ' + option.text);
    }
    for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (shown(el) && el.placeholder && textWidth(el, el.placeholder) > room(el, 0)) cut.push('placeholder: ' + el.placeholder);
    }
    return cut;
  })()`);
}

/** Toolbars (by selector) whose controls do not all sit on one line. */
export function wrappedToolbars(frame: Frame, selector: string): Promise<string[]> {
  return frame.evaluate(`(() => [...document.querySelectorAll(${JSON.stringify(selector)})].filter((bar) => bar.getClientRects().length > 0).filter((bar) => {
    const tops = [...bar.children].filter((c) => c.getClientRects().length > 0).map((c) => Math.round(c.getBoundingClientRect().top + c.getBoundingClientRect().height / 2));
    return Math.max(...tops) - Math.min(...tops) > 4;
  }).map((bar) => bar.className))()`);
}

/** Whether the codicon font loads in the frame (its file is packaged and allowed), so icons draw, not empty boxes. */
export function iconsDraw(frame: Frame): Promise<boolean> {
  return frame.evaluate(`document.fonts.load('16px codicon').then((faces) => faces.length > 0 && faces.every((f) => f.status === 'loaded'), () => false)`);
}
