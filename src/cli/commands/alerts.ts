// `leuko alerts list` and `leuko alerts test`: see the configured channels, and send one sample alert
// through them to check a webhook URL, SMTP login or topic permission before a real alert depends on it.
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../core/errors.js';
import { createConsoleAlertLogger } from '../../notify/console-log.js';
import { sendTestAlert, type ChannelConfig } from '../../notify/index.js';
import { loadCliConfig, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { createOutput, formatTable } from '../output.js';
import { summaryOf } from './catalog.js';

/** Where a channel sends, without its secret: the env var name, or the host of an inline URL. */
function destination(channel: ChannelConfig): string {
  switch (channel.type) {
    case 'slack':
    case 'webhook':
      return channel.urlEnv ? `$${channel.urlEnv}` : new URL(channel.url ?? '').host;
    case 'email':
      return `${channel.smtp.host}:${channel.smtp.port ?? (channel.smtp.secure ? 465 : 587)} → ${channel.to.join(', ')}`;
    case 'sns':
      return channel.topicArn;
  }
}

function routing(channel: ChannelConfig): string {
  const parts = [
    channel.minSeverity ? `>= ${channel.minSeverity}` : '',
    channel.rules ? `rules ${channel.rules.join(',')}` : '',
    channel.kinds ? `kinds ${channel.kinds.join(',')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'everything';
}

export function registerAlerts(program: Command): void {
  const alerts = program.command('alerts').description(summaryOf('alerts'));

  alerts
    .command('list')
    .description('List the configured alert channels, where they send (secrets shown by env var name only) and what they receive.')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  leuko alerts list --json')
    .action((flags: { json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const channels = loadCliConfig(globals).config.alerts?.channels ?? [];
      const output = createOutput();
      const rows = channels.map((channel) => ({ name: channel.name, type: channel.type, destination: destination(channel), routing: routing(channel) }));
      if (flags.json || globals.json) {
        output.json(rows);
        return;
      }
      if (rows.length === 0) {
        output.line('No alert channels configured (add "alerts: { channels: [...] }" to leuko.yaml).');
        return;
      }
      output.line(formatTable([['NAME', 'TYPE', 'DESTINATION', 'RECEIVES'], ...rows.map((row) => [row.name, row.type, row.destination, row.routing])]));
    });

  alerts
    .command('test')
    .description('Send one sample alert through every configured channel (or one), ignoring routing; report each delivery.')
    .option('--channel <name>', 'only this channel')
    .option('--json', 'print per-channel results as JSON')
    .addHelpText('after', '\nExit code 0 when every channel delivered, 3 when some failed, 5 when none did.\n\nExamples:\n  leuko alerts test\n  leuko alerts test --channel sec-slack --json')
    .action(async (flags: { channel?: string; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions & { channel?: string }>();
      const config = loadCliConfig(globals).config.alerts;
      const channels = config?.channels ?? [];
      if (channels.length === 0) throw new UsageError('no alert channels in leuko.yaml (alerts: { channels: [...] })');
      if (flags.channel && !channels.some((channel) => channel.name === flags.channel)) {
        throw new NotFoundError(`no alert channel "${flags.channel}"; configured: ${channels.map((channel) => channel.name).join(', ')}`);
      }
      const output = createOutput();
      const json = flags.json === true || globals.json === true;
      const reports = await sendTestAlert(config, {
        ...(flags.channel ? { channel: flags.channel } : {}),
        // Failures are printed below, per channel; the logger adds retries only with --debug.
        log: { ...createConsoleAlertLogger((line) => output.error(line), globals.debug === true), error: () => {} },
        aws: { ...(globals.profile ? { profile: globals.profile } : {}) },
      });
      const results = reports.map((report) => ({
        channel: report.channel,
        type: report.type,
        ok: report.ok,
        attempts: report.attempts,
        alertId: report.messageId,
        ...(report.error ? { error: report.error } : {}),
      }));
      if (json) output.json(results);
      else {
        for (const result of results) {
          output.line(
            result.ok
              ? `ok      ${result.channel} (${result.type})${result.attempts > 1 ? ` after ${result.attempts} attempts` : ''}`
              : `FAILED  ${result.channel} (${result.type}) after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}: ${result.error ?? ''}`,
          );
        }
      }
      const failed = results.filter((result) => !result.ok).length;
      if (failed === results.length) process.exitCode = EXIT.failed;
      else if (failed > 0) process.exitCode = EXIT.partial;
    });
}
