// Flagger's settings, as stack config gives them after validation.
import * as pulumi from "@pulumi/pulumi";

/** Where Flagger posts about canaries: a Slack incoming webhook and how its messages are labelled. */
export interface SlackSettings {
    readonly channel: string;
    readonly user: string;
    /** A secret from the moment config was read. Absent: nothing is posted. */
    readonly webhook?: pulumi.Output<string>;
}

export interface FlaggerSettings {
    /** false: no Flagger, no Prometheus, no AlertProviders. */
    readonly enabled: boolean;
    /** Version of the Flagger Helm chart. */
    readonly version: string;
    /** The platform-wide Slack settings (Flagger's own flags). */
    readonly slack: SlackSettings;
}
