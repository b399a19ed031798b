// Builds Flux v2 installs and syncs under the mocks, as the platform would: the engine installed
// once in flux-system, then one sync per repo.
import * as pulumi from "@pulumi/pulumi";
import { fluxV2Engine } from "../../components/engines/flux2/engine";
import { FluxV2Settings, FluxV2Install, fluxV2Defaults } from "../../components/engines/flux2/settings";
import { EngineCluster } from "../../components/shared/engine";
import { githubKnownHosts } from "../../components/github/knownHosts";
import { Recording, record } from "./harness";

export const privateKeyText = "-----BEGIN OPENSSH PRIVATE KEY-----\nFLUX2-TEAM-KEY\n-----END OPENSSH PRIVATE KEY-----\n";
export const webhookText = "https://hooks.slack.com/services/T000/B000/FLUX2SECRET";

export function shared(overrides: Partial<FluxV2Install> = {}): FluxV2Install {
    return { ...fluxV2Defaults.install, ...overrides };
}

export function settings(overrides: Partial<FluxV2Settings> = {}): FluxV2Settings {
    return { ...fluxV2Defaults.repo, ...overrides };
}

export interface RepoToSync {
    readonly scope: "cluster" | "namespace";
    readonly namespace: string;
    readonly settings?: Partial<FluxV2Settings>;
    /** A Slack channel: the repo's settings then carry a secret webhook. */
    readonly alertsChannel?: string;
    /** Hand the key and the webhook over as plain values, to see that the engine makes them secret itself. */
    readonly plainCredentials?: boolean;
}

/** Call inside `record`. */
export function syncRepo(cluster: EngineCluster<FluxV2Settings>, repo: RepoToSync): pulumi.ComponentResource {
    const repoName = repo.scope === "cluster" ? "dev-cluster" : `dev-${repo.namespace}`;
    const credential = (text: string) => (repo.plainCredentials ? text : pulumi.secret(text));
    return cluster.sync(`${repo.namespace}-flux2`, {
        namespace: repo.namespace,
        scope: repo.scope,
        git: {
            url: `git@github.com:org/${repoName}.git`,
            branch: "main",
            path: repo.scope === "cluster" ? "cluster" : "",
            privateKey: credential(privateKeyText),
            keyFingerprint: "SHA256:flux2",
            knownHosts: githubKnownHosts,
        },
        settings: settings({
            ...repo.settings,
            ...(repo.alertsChannel === undefined ? {} : { alerts: { channel: repo.alertsChannel, webhook: credential(webhookText) } }),
        }),
    }, {});
}

/** Installs Flux v2 with `sharedSettings` and syncs `repos`. */
export async function buildFluxV2(sharedSettings: FluxV2Install, repos: readonly RepoToSync[] = []): Promise<Recording> {
    return (await record(() => {
        const cluster = fluxV2Engine.install("platform", { namespace: "flux-system", settings: sharedSettings }, {});
        for (const repo of repos) {
            syncRepo(cluster, repo);
        }
    })).recording;
}

export const types = {
    release: "kubernetes:helm.sh/v3:Release",
    fluxInstance: "kubernetes:fluxcd.controlplane.io/v1:FluxInstance",
    gitRepository: "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository",
    kustomization: "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization",
    provider: "kubernetes:notification.toolkit.fluxcd.io/v1beta3:Provider",
    alert: "kubernetes:notification.toolkit.fluxcd.io/v1beta3:Alert",
    secret: "kubernetes:core/v1:Secret",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
} as const;
