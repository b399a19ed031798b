import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { platformLabels } from "../../shared/names";

/**
 * The environment variable Flagger takes its Slack webhook from. Flagger 1.44.0 reads it with
 * os.Getenv, and a non-empty value wins over the `-slack-url` flag (`fromEnv("SLACK_URL", slackURL)`
 * in `initNotifier`, fluxcd/flagger `cmd/flagger/main.go` at v1.44.0). The chart would otherwise
 * render `slack.url` into that flag, in the clear in the Deployment (`-slack-url=` in
 * `charts/flagger/templates/deployment.yaml` at v1.44.0).
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
 * auto-named. The Kubernetes provider replaces a Secret whose data changes, always when it is
 * immutable (`forceNewProperties`, pulumi/pulumi-kubernetes `provider/pkg/provider/diff.go`); the
 * engine checks a replacement afresh, without the old inputs (pulumi/pulumi
 * `pkg/resource/deploy/step_generator.go`), so the provider gives it a new random name
 * (`AssignNameIfAutonamable`, pulumi-kubernetes `provider/pkg/metadata/naming.go`), creating it
 * before deleting the old one (an auto-named object is not delete-before-replace: `Diff` in
 * `provider/pkg/provider/provider.go`). The new name changes Flagger's pod template, which rolls
 * the pod. Nothing derived from the webhook (no checksum annotation) appears in the Deployment:
 * the name is random, not a hash.
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
 * The chart's `env` value (a list of container env vars, rendered as they are into Flagger's
 * container: `env` in `charts/flagger/values.yaml` and the deployment template at v1.44.0) that
 * sets SLACK_URL from the Secret. Only the Secret's name and key are in it, never the webhook.
 */
export function slackUrlFromSecret(secretName: pulumi.Input<string>): k8s.types.input.core.v1.EnvVar[] {
    return [{
        name: slackUrlEnvVar,
        valueFrom: { secretKeyRef: { name: secretName, key: slackWebhookKey } },
    }];
}
