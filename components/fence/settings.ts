// What fences a team in, as stack config gives it after validation.
import { PodSecurityLevel } from "../shared/podSecurityLevel";

/** How a team is fenced in: `podSecurity`, `policies`, `quota` and `limits` of its entry. */
export interface FenceSettings {
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
    /**
     * Sum of ephemeral-storage requests and of ephemeral-storage limits: the nodes' disk (logs,
     * emptyDirs, writable layers). Every container must then say it, so the limit range fills it in.
     */
    readonly ephemeralStorage: string;
    /** Object counts: what fills etcd and the shared controllers' caches. */
    readonly secrets: number;
    readonly configMaps: number;
    readonly services: number;
    readonly persistentVolumeClaims: number;
    /** Objects of each of the engines' and Flagger's kinds (count/<resource>.<group>), each kind alike. */
    readonly customResources: number;
}

/** The team's LimitRange: what a container that says nothing gets. */
export interface LimitSettings {
    readonly defaultRequest: { readonly cpu: string; readonly memory: string; readonly ephemeralStorage: string };
    /** Default limits; no cpu limit unless set, as cpu limits throttle rather than protect. */
    readonly default: { readonly cpu?: string; readonly memory: string; readonly ephemeralStorage: string };
}

/** Which traffic reaches team namespaces besides the team's own. */
export interface NetworkSettings {
    /** Namespaces of shared ingress controllers, allowed into every team namespace. */
    readonly ingressNamespaces: readonly string[];
}
