// The alerts: key of leuko.yaml: valid configs load; mistakes are one error naming file, line and key.
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';

const load = (text: string) => parseConfigText(text, 'leuko.yaml');

describe('alerts config', () => {
  it('accepts every channel type with routing, digest and retries', () => {
    const { config } = load(`
alerts:
  channels:
    - { name: sec-slack, type: slack, urlEnv: SLACK_WEBHOOK_URL, minSeverity: high }
    - name: oncall-mail
      type: email
      smtp: { host: smtp.example.com, port: 587, requireTls: true, user: leuko, passwordEnv: SMTP_PASSWORD }
      from: leuko@example.com
      to: [oncall@example.com]
      kinds: [finding-opened, detection]
    - { name: bus, type: sns, topicArn: "arn:aws:sns:eu-west-1:111122223333:leuko-alerts" }
    - { name: siem, type: webhook, url: "https://siem.example.com/in", secretEnv: SIEM_HMAC_KEY, rules: [cloudtrail-tampering] }
  digest: { threshold: 20, windowSeconds: 120 }
  retries: { maxAttempts: 5 }
`);
    expect(config.alerts?.channels?.map((channel) => channel.type)).toEqual(['slack', 'email', 'sns', 'webhook']);
  });

  it.each([
    ['an unknown type', `alerts:\n  channels:\n    - { name: x, type: pager }\n`, /^leuko\.yaml:3: alerts\.channels\[0\]\.type: /],
    ['a slack channel without a URL', `alerts:\n  channels:\n    - name: x\n      type: slack\n`, /^leuko\.yaml:3: alerts\.channels\[0\]\.url: give exactly one of url or urlEnv/],
    ['both url and urlEnv', `alerts:\n  channels:\n    - name: x\n      type: webhook\n      url: https://a.example\n      urlEnv: HOOK\n`, /^leuko\.yaml:5: alerts\.channels\[0\]\.url: give exactly one/],
    ['a bad severity', `alerts:\n  channels:\n    - name: x\n      type: slack\n      urlEnv: S\n      minSeverity: urgent\n`, /^leuko\.yaml:6: alerts\.channels\[0\]\.minSeverity: /],
    ['a bad kind', `alerts:\n  channels:\n    - name: x\n      type: slack\n      urlEnv: S\n      kinds: [finding-opened, scan]\n`, /^leuko\.yaml:6: alerts\.channels\[0\]\.kinds\[1\]: /],
    ['a bad topic ARN', `alerts:\n  channels:\n    - name: x\n      type: sns\n      topicArn: my-topic\n`, /^leuko\.yaml:5: alerts\.channels\[0\]\.topicArn: must be an SNS topic ARN/],
    ['an env name that is not one', `alerts:\n  channels:\n    - name: x\n      type: slack\n      urlEnv: https://hooks.slack.com/x\n`, /^leuko\.yaml:5: alerts\.channels\[0\]\.urlEnv: must be an environment variable name/],
    ['a bad recipient', `alerts:\n  channels:\n    - name: m\n      type: email\n      smtp: { host: h }\n      from: a@example.com\n      to: [not-an-address]\n`, /^leuko\.yaml:7: alerts\.channels\[0\]\.to\[0\]: must be an email address/],
    ['a password without a user', `alerts:\n  channels:\n    - name: m\n      type: email\n      smtp:\n        host: h\n        passwordEnv: P\n      from: a@example.com\n      to: [b@example.com]\n`, /^leuko\.yaml:5: alerts\.channels\[0\]\.smtp\.user: a password needs a user/],
    ['duplicate names', `alerts:\n  channels:\n    - { name: x, type: slack, urlEnv: A }\n    - { name: x, type: slack, urlEnv: B }\n`, /^leuko\.yaml:4: alerts\.channels\[1\]\.name: duplicate channel name "x"/],
    ['an unknown key', `alerts:\n  digest:\n    threshold: 5\n    windw: 3\n`, /^leuko\.yaml:4: alerts\.digest\.windw: unknown key "windw"/],
    ['a zero threshold', `alerts:\n  digest:\n    threshold: 0\n`, /^leuko\.yaml:3: alerts\.digest\.threshold: /],
  ])('refuses %s with file:line and key', (_name, text, message) => {
    expect(() => load(text)).toThrow(message);
  });
});
