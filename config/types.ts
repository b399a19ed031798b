// The validated, defaulted shape of the stack config. Components receive these objects, never
// pulumi.Config, so every value here has already been checked.
import * as pulumi from "@pulumi/pulumi";
import { FluxV1Settings, MemcachedSettings } from "../components/engines/flux1/settings";
import { PodSecurityLevel } from "../components/shared/podSecurityLevel";

/** Flux v1's settings; the engine owns their type. */
export type FluxSettings = FluxV1Settings;
export type { MemcachedSettings };

/** A Git repository Flux syncs, and where in it. */
export interface RepoSettings {
    readonly repo: string;
    readonly branch: string;
    /** Directory inside the repo Flux syncs (`--git-path`); "" is the root. */
    readonly path: string;
    /** false: the repo exists already; only the deploy key is registered on it. */
    readonly create: boolean;
    /** Generation of the repo's SSH keypair; changing it replaces the keypair and deploy key. */
    readonly keyVersion: number;
}

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

export interface TeamSettings extends RepoSettings {
    /** The team's name, which is also its namespace. */
    readonly name: string;
    readonly flux: FluxSettings;
    /** The team's own alerting; it has an AlertProvider only when it has a webhook. */
    readonly slack: SlackSettings;
    readonly isolation: IsolationSettings;
}

/** How a team is fenced in: `podSecurity`, `policies`, `quota` and `limits` of its entry. */
export interface IsolationSettings {
    /** The level asked for; see podSecurity.ts for what Pod Security Admission enforces. */
    readonly podSecurity: PodSecurityLevel;
    readonly policies: { readonly containerResources: boolean };
    readonly quota: QuotaSettings;
    readonly limits: LimitSettings;
}

/** The team's ResourceQuota. Quantities are Kubernetes quantities, already checked. */
export interface QuotaSettings {
    /** Sum of cpu requests (requests.cpu). */
    readonly cpu: string;
    /** Sum of memory requests and of memory limits (requests.memory and limits.memory). */
    readonly memory: string;
    readonly pods: number;
    /** Sum of PersistentVolumeClaim requests (requests.storage). */
    readonly storage: string;
    readonly loadBalancers: number;
    readonly nodePorts: number;
}

/** The team's LimitRange: what a container that says nothing gets. */
export interface LimitSettings {
    readonly defaultRequest: { readonly cpu: string; readonly memory: string };
    /** Default limits; no cpu limit unless set, as cpu limits throttle rather than protect. */
    readonly default: { readonly cpu?: string; readonly memory: string };
}

/** Which traffic reaches team namespaces besides the team's own. */
export interface NetworkSettings {
    /** Namespaces of shared ingress controllers, allowed into every team namespace. */
    readonly ingressNamespaces: readonly string[];
}

export interface PlatformConfig {
    /** GitHub organisation or user owning every repo (`github:owner`). */
    readonly githubOwner: string;
    readonly cluster: RepoSettings;
    /** Flux settings of the system instance, and the defaults of every team's. */
    readonly flux: FluxSettings;
    readonly memcached: MemcachedSettings;
    readonly flagger: FlaggerSettings;
    readonly network: NetworkSettings;
    readonly teams: readonly TeamSettings[];
}
