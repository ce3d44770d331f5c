// The alerts API: build alerts from changes of state, and send them through the configured channels.
export { ALERT_KINDS, NO_ALERTS, type Alert, type AlertKind, type AlertRemediation, type AlertSink } from './alert.js';
export { alertId, alertsFromDetections, alertsFromTransitions, type AlertsFromTransitionsOptions } from './alerts-from-transitions.js';
export { alertFacts, alertHeadline, alertText, buildDigest, type Digest } from './alert-text.js';
export { alertsConfigSchema, alertSettings, type AlertsConfig, type ChannelConfig, type ChannelType } from './alerts-config.js';
export {
  createAlertSink,
  routes,
  sampleAlert,
  sendTestAlert,
  type AlertDispatcher,
  type AlertLogger,
  type AlertSinkDeps,
  type DeliveryReport,
} from './create-alert-sink.js';
export { verifyWebhookSignature, webhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, ALERT_ID_HEADER, type WebhookBody } from './channels/webhook.js';
