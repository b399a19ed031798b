// Which port of which pod the platform runs a pod may reach, decided from the NetworkPolicies the
// program creates and those the charts and the Flux Operator install (test/kit/networkPolicy.ts):
// from a pod in each team namespace (each engine), a Flux v1 team's own fluxd, the other platform
// namespaces, and outside the pod network (the API server calling a webhook); and which of those
// reach a pod a team runs itself. A MODEL: no network
// plugin runs in the tests, and a cluster without one that enforces NetworkPolicy admits all.
import { Recording } from "./harness";
import { fluxInstanceName } from "../../components/engines/flux2/fluxInstance";
import { flaggerNamespace, gatekeeperNamespace, systemNamespace, teamLabel } from "../../components/shared/names";
import {
    flaggerPods, fluxControllerPod, fluxOperatorPod, fluxOperatorPolicies, fluxOperatorWebPolicy, fluxShardPod, gatekeeperPods, patchedPolicies, shardedControllers,
} from "./fixtures/network";
import { exampleStack, fluxV2Team } from "./platformCluster";
import { decideConnection, NetworkPolicyObject, NetworkState, Peer, Pod, PodPort } from "./networkPolicy";

type Json = Record<string, any>;

/** The example stack (platformCluster.ts), its Flux v2 team with dedicated controllers: the shards' pods are in the table too. */
export function reachabilityStack(): Record<string, unknown> {
    const stack = exampleStack();
    const teams = (stack["platform:teams"] as Json[]).map((team) => team.name === fluxV2Team ? { ...team, flux: { ...team.flux, dedicatedControllers: true } } : team);
    return { ...stack, "platform:teams": teams };
}

export interface Source extends Peer {
    /** What the table calls it. */
    readonly name: string;
    /** The team it belongs to; undefined for the platform's own and outside. */
    readonly team?: string;
}

export interface Cell {
    readonly source: Source;
    readonly pod: Pod;
    readonly port: PodPort;
    readonly reachable: boolean;
    readonly why: string;
    /** Whether a team may reach it, and why; undefined when the source is not a team's. */
    readonly teamMay?: string;
}

export interface Reachability {
    readonly pods: readonly Pod[];
    readonly sources: readonly Source[];
    readonly cells: readonly Cell[];
    readonly state: NetworkState;
}

const deploymentType = "kubernetes:apps/v1:Deployment";
const policyType = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const namespaceType = "kubernetes:core/v1:Namespace";
const releaseType = "kubernetes:helm.sh/v3:Release";

function podOf(deployment: Json): Pod {
    const template = deployment.spec.template;
    return {
        namespace: deployment.metadata.namespace, name: deployment.metadata.name, labels: template.metadata.labels,
        ports: (template.spec.containers as Json[]).flatMap((c) => ((c.ports ?? []) as Json[])
            .map((p) => ({ port: p.containerPort as number, name: p.name as string | undefined, protocol: p.protocol as string | undefined }))),
    };
}

/** The pods, sources and policies of the cluster the recording makes, with every cell decided. */
export function reachability(recording: Recording): Reachability {
    const namespaces: Record<string, Record<string, string>> = {};
    for (const ns of recording.ofType(namespaceType)) {
        namespaces[ns.inputs.metadata.name] = ns.inputs.metadata.labels ?? {};
    }
    const policies: NetworkPolicyObject[] = recording.ofType(policyType).map((p) => ({ metadata: p.inputs.metadata, spec: p.inputs.spec }));
    const pods: Pod[] = recording.ofType(deploymentType).map((d) => podOf(d.inputs));

    const releases = recording.ofType(releaseType).map((r) => r.inputs);
    if (releases.some((r) => r.name === "flagger")) {
        pods.push(...flaggerPods);
    }
    if (releases.some((r) => r.name === "gatekeeper")) {
        pods.push(...gatekeeperPods);
    }
    const operator = releases.find((r) => r.name === "flux-operator");
    if (operator) {
        const web = operator.values?.web?.enabled !== false;
        pods.push(fluxOperatorPod(web));
        if (web && operator.values?.web?.networkPolicy?.create !== false) {
            policies.push(fluxOperatorWebPolicy);
        }
    }
    const instance = recording.resources.find((r) => r.type.endsWith(":FluxInstance") && r.inputs.metadata?.name === fluxInstanceName)?.inputs;
    if (instance) {
        pods.push(...(instance.spec.components as string[]).map(fluxControllerPod));
        pods.push(...((instance.spec.sharding?.shards ?? []) as string[]).flatMap((shard) =>
            (instance.spec.components as string[]).filter((c) => shardedControllers.includes(c)).map((c) => fluxShardPod(c, shard))));
        if (instance.spec.cluster?.networkPolicy !== false) {
            policies.push(...patchedPolicies(fluxOperatorPolicies, instance.spec.kustomize?.patches ?? []));
        }
    }

    const teams = Object.entries(namespaces).filter(([, labels]) => labels[teamLabel] !== undefined).map(([name]) => name).sort();
    // What a team runs itself, on a port of its choosing: who else reaches it.
    pods.push(...teams.map((team) => ({ namespace: team, name: teamPodName, labels: { app: "anything" }, ports: [{ port: 8080, name: "any port" }] })));
    const sources: Source[] = teams.flatMap((team) => {
        const fluxd = pods.find((p) => p.namespace === team && p.labels["app.kubernetes.io/name"] === "flux");
        return [
            { name: `a pod of ${team}${fluxd ? " (Flux v1)" : " (Flux v2)"}`, team, namespace: team, labels: { app: "anything" } },
            ...(fluxd ? [{ name: `${team}'s fluxd`, team, namespace: team, labels: fluxd.labels }] : []),
        ];
    });
    sources.push({ name: `a pod of ${systemNamespace}`, namespace: systemNamespace, labels: { app: "anything" } });
    for (const pod of pods.filter((p) => p.namespace === flaggerNamespace)) {
        sources.push({ name: pod.name, namespace: pod.namespace, labels: pod.labels });
    }
    if (pods.some((p) => p.namespace === flaggerNamespace)) {
        // What the cluster admins may add there (a shared load tester, say), which is not Flagger.
        sources.push({ name: `another pod of ${flaggerNamespace}`, namespace: flaggerNamespace, labels: { app: "anything" } });
    }
    sources.push({ name: `a pod of ${gatekeeperNamespace}`, namespace: gatekeeperNamespace, labels: { app: "anything" } });
    sources.push({ name: "outside the pod network (the API server, a node)", labels: {}, outside: true });

    const state: NetworkState = { policies, namespaces };
    const cells: Cell[] = [];
    for (const pod of pods) {
        for (const port of pod.ports) {
            for (const source of sources) {
                const decision = decideConnection(state, source, pod, port);
                cells.push({ source, pod, port, ...decision, ...(source.team ? { teamMay: teamMay(source, pod, port) } : {}) });
            }
        }
    }
    return { pods, sources, cells, state };
}

/** The row of a pod a team runs itself. */
export const teamPodName = "a pod of the team's own";

/**
 * What a team's pod may reach of the platform's and of other teams', with the reason; undefined:
 * nothing of it. The spec fails on any other cell a team reaches.
 */
export function teamMay(source: Source, pod: Pod, port: PodPort): string | undefined {
    if (pod.namespace === source.namespace) {
        return "its own namespace";
    }
    if (pod.name === "flux-memcached" && source.name.endsWith("'s fluxd")) {
        return "a Flux v1 team's fluxd keeps its image metadata cache there";
    }
    if (pod.name === "gatekeeper-controller-manager" && port.port === 8443) {
        return "the webhook port admits every source: the API server, which calls it, is no pod a policy can name";
    }
    if (pod.name === "notification-controller" && port.port === 9292) {
        return "Flux's webhook receiver: each Receiver's path is its own secret token";
    }
    return undefined;
}

/** Cells a team's pod reaches that it should not. */
export function leaks(table: Reachability): Cell[] {
    return table.cells.filter((c) => c.source.team !== undefined && c.reachable && c.teamMay === undefined);
}
