import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FluxV2Alerts } from "./settings";

export interface FailureReportArgs {
    readonly namespace: pulumi.Input<string>;
    readonly labels: Record<string, string>;
    readonly alerts: FluxV2Alerts;
    /** The sync's Flux objects whose events are reported, in the same namespace. */
    readonly sources: readonly { readonly kind: "GitRepository" | "Kustomization"; readonly name: string }[];
    /** The FluxInstance: the notification kinds exist once it is ready. */
    readonly instance: pulumi.Resource;
}

/** The webhook Secret: Flagger's `platform-slack-webhook` is another Secret in the same namespace. */
export const slackWebhookSecretName = "flux-slack-webhook";
export const slackProviderName = "flux-slack";
export const alertName = "gitops-platform";

// The only version of Alert and Provider the pinned Flux serves (docs/upstream.md, "The objects a
// sync creates").
const notificationApiVersion = "notification.toolkit.fluxcd.io/v1beta3";

/**
 * Sends the sync's events to a Slack channel, so that a failed sync reaches the repo's owners:
 * a Secret with the webhook, a Provider and an Alert, children of `parent` named `${name}-<part>`,
 * returned so that the sync's Kustomization depends on them: they outlive its pruning.
 * Flagger's Canaries are not Flux objects and keep Flagger's own AlertProvider.
 */
export function reportFailures(parent: pulumi.Resource, name: string, args: FailureReportArgs): pulumi.Resource[] {
    const meta = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels: args.labels });

    // A Slack incoming webhook is the Secret's `address` key (docs/upstream.md, "The objects a
    // sync creates"). Secret from config to this object.
    const webhook = new k8s.core.v1.Secret(`${name}-slack-webhook`, {
        metadata: meta(slackWebhookSecretName),
        type: "Opaque",
        stringData: pulumi.secret(pulumi.output(args.alerts.webhook).apply((address) => ({ address }))),
    }, { parent });

    const provider = new k8s.apiextensions.CustomResource(`${name}-slack-provider`, {
        apiVersion: notificationApiVersion,
        kind: "Provider",
        metadata: meta(slackProviderName),
        spec: {
            type: "slack",
            channel: args.alerts.channel,
            secretRef: { name: slackWebhookSecretName },
        },
    }, { parent, dependsOn: [args.instance, webhook] });

    // Same-namespace sources only: the lockdown forbids cross-namespace references.
    const alert = new k8s.apiextensions.CustomResource(`${name}-alert`, {
        apiVersion: notificationApiVersion,
        kind: "Alert",
        metadata: meta(alertName),
        spec: {
            providerRef: { name: slackProviderName },
            eventSeverity: args.alerts.eventSeverity ?? "error",
            eventSources: args.sources.map((s) => ({ kind: s.kind, name: s.name })),
        },
    }, { parent, dependsOn: [args.instance, provider] });
    return [webhook, provider, alert];
}
