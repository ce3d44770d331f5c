// Escaping-by-default HTML templating: every interpolated string is escaped unless it is already SafeHtml.
// Resource names, tags and messages come from AWS accounts an attacker may control, so the safe path
// has to be the easy one: forgetting to escape is impossible rather than a review comment.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and for quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** Tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` results and arrays pass through. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  // false/null/undefined render as nothing so `${cond && html`...`}` reads naturally; true would be a bug.
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}
