import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { platformLabels } from "../../shared/names";

/**
 * The environment variable Flagger takes its Slack webhook from, which wins over `-slack-url`; the
 * chart would otherwise put `slack.url` in that flag, in the clear in the Deployment
 * (docs/upstream.md, "Slack and cross-namespace references").
 */
export const slackUrlEnvVar = "SLACK_URL";

/** The Secret's data key: `address`, as in the teams' webhook Secrets (see teamAlerts.ts). */
export const slackWebhookKey = "address";

export interface FlaggerSlackWebhookArgs {
    /** Flagger's namespace, where the Secret must live for the pod to reference it. */
    readonly namespace: pulumi.Input<string>;
    /** The platform's Slack incoming webhook; a secret from the moment config was read. */
    readonly webhook: pulumi.Input<string>;
}

/**
 * The platform's Slack webhook as a Secret in Flagger's namespace, so that Flagger's Deployment
 * carries only a reference to it.
 *
 * Rotating the webhook must restart Flagger: a variable set from a secretKeyRef is read when the
 * container starts, and a changed Secret restarts nothing. So the Secret is immutable and
 * auto-named: a new webhook makes a new Secret with a new random name, created before the old one
 * is deleted (docs/upstream.md, "Replacing an immutable Secret"), and the new name rolls Flagger's
 * pod. Nothing derived from the webhook (no checksum) appears in the Deployment.
 */
export function flaggerSlackWebhookSecret(
    name: string, args: FlaggerSlackWebhookArgs, opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(name, {
        // No metadata.name: the provider names it, anew on each rotation (see above).
        metadata: { namespace: args.namespace, labels: platformLabels("flagger") },
        type: "Opaque",
        immutable: true,
        stringData: { [slackWebhookKey]: pulumi.secret(args.webhook) },
    }, opts);
}

/**
 * The chart's `env` value (container env vars, rendered as they are into Flagger's container) that
 * sets SLACK_URL from the Secret. Only the Secret's name and key are in it, never the webhook.
 */
export function slackUrlFromSecret(secretName: pulumi.Input<string>): k8s.types.input.core.v1.EnvVar[] {
    return [{
        name: slackUrlEnvVar,
        valueFrom: { secretKeyRef: { name: secretName, key: slackWebhookKey } },
    }];
}
