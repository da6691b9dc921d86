// share_box.js - what a page editor posts from the statistics panel: the server's
// ready-to-post caption in the reader's language with a copy button (the Clipboard API,
// else the selected text and the browser's copy command, else the text left selected
// with a word on how to copy it), and the statistic's share image, made on request so
// that opening a statistic costs no image rendering.
import { t } from './i18n.js';

// Copies textarea's text; resolves to true when it reached the clipboard.
async function copyText(textarea) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(textarea.value);
      return true;
    } catch {
      // refused (no permission, not focused): the selection route below
    }
  }
  textarea.focus();
  textarea.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

function captionBox(text, lang) {
  const box = document.createElement('div');
  box.className = 'stats-caption';
  const id = 'stats-caption-text';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = t(lang, 'caption');
  const textarea = document.createElement('textarea');
  textarea.id = id;
  textarea.readOnly = true;
  textarea.rows = 6;
  textarea.value = text;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-caption';
  button.textContent = t(lang, 'copyCaption');
  const message = document.createElement('p');
  message.className = 'copy-message';
  message.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    const copied = await copyText(textarea);
    message.textContent = t(lang, copied ? 'copied' : 'copyFailed');
    message.classList.toggle('error', !copied);
    if (!copied) {
      textarea.focus();
      textarea.select();
    }
  });
  box.append(label, textarea, button, message);
  return box;
}

function imageBox(href, title, lang) {
  const box = document.createElement('div');
  box.className = 'stats-share-image';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'make-share-image';
  button.textContent = t(lang, 'makeShareImage');
  button.addEventListener('click', () => {
    const img = document.createElement('img');
    img.alt = title;
    img.src = href;
    const link = document.createElement('a');
    link.href = href;
    link.download = '';
    link.textContent = `${t(lang, 'download')} PNG`;
    box.replaceChildren(img, link);
  });
  box.append(button);
  return box;
}

// The share section: caption (when the server wrote one) and the image (when it has one).
export function shareBox(caption, imageHref, title, lang) {
  const section = document.createElement('section');
  section.className = 'stats-share';
  if (imageHref) {
    section.append(imageBox(imageHref, title, lang));
  }
  if (caption) {
    section.append(captionBox(caption, lang));
  }
  return section;
}
