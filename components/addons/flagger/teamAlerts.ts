import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { platformLabels, teamLabel } from "../../shared/names";

export interface TeamAlertsArgs {
    readonly team: string;
    readonly namespace: pulumi.Input<string>;
    readonly channel: string;
    readonly user: string;
    /** The team's Slack incoming webhook; a secret. */
    readonly webhook: pulumi.Input<string>;
    /** The Flagger install whose chart brings the AlertProvider CRD. */
    readonly flagger: pulumi.Resource;
}

/**
 * Named for the platform so that it does not clash with providers a team defines in its own
 * repo. The team's Canaries reference it in `spec.analysis.alerts[].providerRef`.
 */
export const teamAlertProviderName = "platform-slack";
const secretName = "platform-slack-webhook";

/**
 * A team's own Slack channel for its Canaries: an AlertProvider in the team's namespace whose
 * webhook lives in a Secret next to it, so it never appears in the provider's spec.
 */
export class TeamAlerts extends pulumi.ComponentResource {
    public readonly providerName: string = teamAlertProviderName;

    constructor(name: string, args: TeamAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:TeamAlerts", name, {}, opts);
        const labels = platformLabels("flagger-alerts", { [teamLabel]: args.team });

        const secret = new k8s.core.v1.Secret(`${name}-webhook`, {
            metadata: { name: secretName, namespace: args.namespace, labels },
            type: "Opaque",
            // Flagger reads the webhook from the key `address`.
            stringData: { address: pulumi.secret(args.webhook) },
        }, { parent: this });

        new k8s.apiextensions.CustomResource(`${name}-provider`, {
            apiVersion: "flagger.app/v1beta1",
            kind: "AlertProvider",
            metadata: { name: teamAlertProviderName, namespace: args.namespace, labels },
            spec: {
                type: "slack",
                channel: args.channel,
                username: args.user,
                secretRef: { name: secret.metadata.name },
            },
        }, { parent: this, dependsOn: [args.flagger] });

        this.registerOutputs({ providerName: this.providerName });
    }
}
