// Slack incoming webhooks: a Block Kit message (header, facts, context) with a plain-text fallback for
// notifications and clients that do not render blocks.
import { alertFacts, alertHeadline, alertLine, alertText, digestHeadline, digestText, severityCounts, type Digest } from '../alert-text.js';
import type { Alert } from '../alert.js';
import type { AlertChannel, OutgoingMessage } from './channel.js';
import { postJson, type FetchLike } from './http-post.js';

export type SlackBlock = Readonly<Record<string, unknown>>;

export interface SlackPayload {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

// Block Kit limits: header text 150 chars, section text 3000, a field 2000, at most 10 fields.
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
/** mrkdwn treats &, < and > as control characters. */
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackAlertPayload(alert: Alert): SlackPayload {
  const facts = alertFacts(alert);
  return {
    text: clip(alertText(alert), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(alertHeadline(alert), 150) } },
      {
        type: 'section',
        fields: facts.slice(0, 10).map((fact) => ({ type: 'mrkdwn', text: clip(`*${fact.label}*\n${escape(fact.value)}`, 2000) })),
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `leuko · ${alert.kind} · alert id ${alert.id}` }] },
    ],
  };
}

export function slackDigestPayload(digest: Digest): SlackPayload {
  const more = digest.count - digest.top.length;
  const lines = digest.top.map((alert) => `• ${escape(alertLine(alert))}`);
  if (more > 0) lines.push(`… and ${more} more`);
  return {
    text: clip(digestText(digest), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(digestHeadline(digest), 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: clip(`*By severity*\n${severityCounts(digest)}`, 2000) },
          { type: 'mrkdwn', text: clip(`*By rule*\n${digest.byRule.map((entry) => `${escape(entry.ruleId)}: ${entry.count}`).join('\n')}`, 2000) },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `leuko digest ${digest.id} · ${digest.from} – ${digest.to}` }] },
    ],
  };
}

export function createSlackChannel(options: { name: string; url: string; fetch: FetchLike }): AlertChannel {
  return {
    name: options.name,
    type: 'slack',
    // The whole URL is the credential; its path alone is too (it is what Slack checks).
    secrets: [options.url, new URL(options.url).pathname].filter((secret) => secret.length > 1),
    async deliver(message: OutgoingMessage, signal: AbortSignal) {
      const payload = message.kind === 'alert' ? slackAlertPayload(message.alert) : slackDigestPayload(message.digest);
      await postJson(options.fetch, options.url, JSON.stringify(payload), {}, signal);
    },
    close: async () => {},
  };
}
