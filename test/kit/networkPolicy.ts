// NetworkPolicy semantics (k8s.io/api networking/v1 types.go, and the NetworkPolicy concept page):
// a pod is isolated for ingress (egress) once any policy whose policyTypes include Ingress (Egress)
// selects it in its namespace, and then admits only what some such policy's rules admit; a pod no
// policy selects admits everything. A connection needs the source's egress and the destination's
// ingress. policyTypes defaults to Ingress, plus Egress when the spec has egress rules. A peer with
// namespaceSelector and podSelector matches pods matching both; podSelector alone, pods of the
// policy's own namespace; namespaceSelector alone, every pod of the matching namespaces. A rule
// without `from` (`to`) admits every source; without `ports`, every port. A named port matches the
// destination container port of that name. A MODEL: no network plugin runs in the tests.
import { LabelSelector, selectorMatches } from "./labelSelector";

type Json = Record<string, any>;

export interface PodPort {
    readonly port: number;
    readonly name?: string;
    readonly protocol?: string;
}

/** A pod, or a source outside the pod network (the API server, a node: `outside`). */
export interface Peer {
    readonly namespace?: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly outside?: boolean;
}

export interface Pod extends Peer {
    readonly namespace: string;
    /** What the table calls it. */
    readonly name: string;
    readonly ports: readonly PodPort[];
}

export interface NetworkPolicyObject {
    readonly metadata: { readonly name: string; readonly namespace: string };
    readonly spec: Json;
}

export interface NetworkState {
    readonly policies: readonly NetworkPolicyObject[];
    /** Each namespace's labels (kubernetes.io/metadata.name is added). */
    readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Decision {
    readonly reachable: boolean;
    /** The policies that admitted it (namespace/name), or why not. */
    readonly why: string;
}

function namespaceLabels(state: NetworkState, namespace: string): Record<string, string> {
    return { ...(state.namespaces[namespace] ?? {}), "kubernetes.io/metadata.name": namespace };
}

function policyTypes(spec: Json): string[] {
    if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) {
        return spec.policyTypes as string[];
    }
    return spec.egress !== undefined ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Whether an ipBlock holds a pod's address: unknown here, so taken as yes (the conservative answer for a fence). */
function peerMatches(state: NetworkState, policyNamespace: string, peer: Json, other: Peer): boolean {
    if (peer.ipBlock !== undefined) {
        return true;
    }
    if (other.outside) {
        return false;
    }
    const inNamespace = peer.namespaceSelector !== undefined
        ? selectorMatches(peer.namespaceSelector as LabelSelector, namespaceLabels(state, other.namespace ?? ""))
        : other.namespace === policyNamespace;
    return inNamespace && selectorMatches(peer.podSelector as LabelSelector | undefined, other.labels);
}

function portMatches(rulePorts: Json[] | undefined, port: PodPort): boolean {
    if (rulePorts === undefined || rulePorts.length === 0) {
        return true;
    }
    return rulePorts.some((p) => {
        if ((p.protocol ?? "TCP") !== (port.protocol ?? "TCP")) {
            return false;
        }
        if (p.port === undefined) {
            return true;
        }
        if (typeof p.port === "string") {
            return p.port === port.name;
        }
        return p.endPort !== undefined ? port.port >= p.port && port.port <= p.endPort : port.port === p.port;
    });
}

type Direction = "Ingress" | "Egress";

/** Whether `subject` lets the connection through in `direction`, `other` being the far end. */
function side(state: NetworkState, direction: Direction, subject: Peer, other: Peer, port: PodPort): Decision {
    if (subject.outside) {
        return { reachable: true, why: "outside the pod network: no NetworkPolicy applies" };
    }
    const selecting = state.policies.filter((p) => p.metadata.namespace === subject.namespace &&
        policyTypes(p.spec).includes(direction) && selectorMatches(p.spec.podSelector as LabelSelector, subject.labels));
    if (selecting.length === 0) {
        return { reachable: true, why: `no ${direction.toLowerCase()} policy selects it` };
    }
    const key = direction === "Ingress" ? "ingress" : "egress";
    const peers = direction === "Ingress" ? "from" : "to";
    const admitting = selecting.filter((p) => ((p.spec[key] ?? []) as Json[]).some((rule) =>
        portMatches(rule.ports as Json[] | undefined, port) &&
        (rule[peers] === undefined || (rule[peers] as Json[]).length === 0 ||
            (rule[peers] as Json[]).some((peer) => peerMatches(state, p.metadata.namespace, peer, other)))));
    return admitting.length > 0
        ? { reachable: true, why: admitting.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(", ") }
        : { reachable: false, why: `${direction.toLowerCase()} refused by ${selecting.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(", ")}` };
}

/** Whether `from` may open a connection to `port` of `to`. */
export function decideConnection(state: NetworkState, from: Peer, to: Pod, port: PodPort): Decision {
    const egress = side(state, "Egress", from, to, port);
    if (!egress.reachable) {
        return egress;
    }
    return side(state, "Ingress", to, from, port);
}
