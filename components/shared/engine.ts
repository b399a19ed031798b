// The seam between the platform and the GitOps engine. The platform and its teams describe a
// Flux instance in these terms only; what an engine makes of them (flags, RBAC, objects) stays in
// that engine's component (fluxV1.ts today; a Flux v2 engine goes beside it).
import * as pulumi from "@pulumi/pulumi";
import { FluxSettings } from "../../config/types";

export interface FluxGitSource {
    /** SSH URL of the repo. */
    readonly url: string;
    readonly branch: string;
    /** Directory inside the repo to sync; "" is the root. */
    readonly path: string;
    /** OpenSSH private key with access to the repo; must be a secret. */
    readonly privateKey: pulumi.Input<string>;
    /** Fingerprint of the key's public half: when it changes, the instance must pick up the new key. */
    readonly keyFingerprint: pulumi.Input<string>;
    /** known_hosts lines for the git host. */
    readonly knownHosts: string;
}

export interface FluxInstanceArgs {
    /**
     * Namespace the instance runs in, and where objects without a namespace land. Pass the
     * Namespace's output so the instance waits for it.
     */
    readonly namespace: pulumi.Input<string>;
    /**
     * "cluster": may change anything in the cluster (the cluster admins' instance).
     * "namespace": may change only its own namespace, and read what discovery needs.
     */
    readonly scope: "cluster" | "namespace";
    readonly git: FluxGitSource;
    readonly settings: FluxSettings;
    /** Extra labels for every object of the instance. */
    readonly labels?: Readonly<Record<string, string>>;
}
