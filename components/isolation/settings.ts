// What fences a team in, as stack config gives it after validation.
import { PodSecurityLevel } from "../shared/podSecurityLevel";

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
