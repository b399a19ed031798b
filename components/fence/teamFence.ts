import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renamedFrom } from "../shared/renamed";
import { FenceSettings } from "./settings";
import { PodPeer } from "../shared/addon";
import { platformLabels, teamFenceNames } from "../shared/names";

export interface TeamFenceArgs {
    /** The team's name, which is its namespace's. */
    readonly team: string;
    /** The team's namespace; pass the Namespace's output so the policy waits for it. */
    readonly namespace: pulumi.Input<string>;
    readonly fence: FenceSettings;
    /** Namespaces allowed into the team's, besides its own. */
    readonly ingressNamespaces: readonly string[];
    /** Add-ons' pods that call teams' pods (AddonTraits.callers), installed or not. */
    readonly callers: readonly PodPeer[];
    /**
     * The engines' and add-ons' kinds a team may create, as `<plural>.<group>`, installed or not:
     * each is counted by the custom quota (`quota.customResources` of each).
     */
    readonly customResources: readonly string[];
    /**
     * Those of `customResources` whose CRDs the stack installs: the custom quota is ready once
     * kube-controller-manager has counted each of them (customQuotaReady).
     */
    readonly installedCustomResources: readonly string[];
    /**
     * What installs those kinds' CRDs (an engine's install, Flagger): the custom quota is created
     * after them, so that kube-controller-manager may have found the CRDs by its first count.
     */
    readonly customResourcesInstalledBy: readonly pulumi.Resource[];
    /** Extra labels for every object. */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * What fences one team in, besides the Pod Security labels on its namespace: a ResourceQuota and
 * a LimitRange so it cannot take the cluster, one NetworkPolicy so other teams cannot reach its
 * pods; the add-ons add theirs (Gatekeeper's constraint). Everything is the team's own, so adding
 * or removing a team touches no other team's objects.
 */
export class TeamFence extends pulumi.ComponentResource {
    /**
     * The team's namespace, once the custom quota counts every installed kind: what creates a
     * counted custom object there must take the namespace from here, or it may be refused.
     */
    public readonly countedNamespace: pulumi.Output<string>;
    /** Every object of the fence carries these, an add-on's part too. */
    public readonly labels: Readonly<Record<string, string>>;

    constructor(name: string, args: TeamFenceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:TeamFence", name, {}, renamedFrom("platform:index:TenantPolicy", opts));
        const parent = { parent: this };
        const labels = platformLabels("tenant-policy", args.labels);
        this.labels = labels;
        const { quota, limits } = args.fence;
        const meta = (objectName: string) => ({ name: objectName, namespace: args.namespace, labels });

        new k8s.core.v1.ResourceQuota(`${name}-quota`, {
            metadata: meta(teamFenceNames.quota),
            spec: {
                // The same three things the ContainerResources policy requires of every container, so
                // every pod counts; no cpu limit, which throttles a pod rather than protect others.
                hard: {
                    "requests.cpu": quota.cpu,
                    "requests.memory": quota.memory,
                    "limits.memory": quota.memory,
                    "pods": `${quota.pods}`,
                    "requests.storage": quota.storage,
                    // A LoadBalancer costs money and a NodePort takes a port on every node: shared ground.
                    "services.loadbalancers": `${quota.loadBalancers}`,
                    "services.nodeports": `${quota.nodePorts}`,
                    // The nodes' disk; every container must then say it, which the limit range does.
                    "requests.ephemeral-storage": quota.ephemeralStorage,
                    "limits.ephemeral-storage": quota.ephemeralStorage,
                    // Object counts: what fills etcd and the caches of every controller that watches
                    // the kind, shared by all teams (docs/upstream.md, "Object counts").
                    "count/secrets": `${quota.secrets}`,
                    "count/configmaps": `${quota.configMaps}`,
                    "count/services": `${quota.services}`,
                    "count/persistentvolumeclaims": `${quota.persistentVolumeClaims}`,
                },
            },
        }, parent);

        // The engines' and Flagger's kinds, apart from the core counts so that the quota above
        // keeps the inputs it always had, and ready only once each installed kind is counted.
        const customQuota = new k8s.core.v1.ResourceQuota(`${name}-custom-quota`, {
            metadata: {
                ...meta(teamFenceNames.customQuota),
                annotations: { [waitForAnnotation]: customQuotaReady(args.installedCustomResources) },
            },
            spec: {
                hard: Object.fromEntries(args.customResources.map((resource) => [`count/${resource}`, `${quota.customResources}`])),
            },
        }, { parent: this, dependsOn: [...args.customResourcesInstalledBy] });
        this.countedNamespace = customQuota.metadata.namespace;

        // Fills in what a container leaves out, so bare Pods, Jobs and CronJobs (which the
        // constraint does not check) still fit the quota instead of being refused by it.
        new k8s.core.v1.LimitRange(`${name}-limits`, {
            metadata: meta(teamFenceNames.limits),
            spec: {
                limits: [{
                    type: "Container",
                    defaultRequest: { "cpu": limits.defaultRequest.cpu, "memory": limits.defaultRequest.memory, "ephemeral-storage": limits.defaultRequest.ephemeralStorage },
                    default: {
                        ...(limits.default.cpu === undefined ? {} : { cpu: limits.default.cpu }),
                        "memory": limits.default.memory, "ephemeral-storage": limits.default.ephemeralStorage,
                    },
                }],
            },
        }, parent);

        new k8s.networking.v1.NetworkPolicy(`${name}-network`, {
            metadata: meta(teamFenceNames.network),
            spec: {
                // Every pod of the namespace; ingress only, so Flux keeps reaching GitHub, memcached,
                // the API server and DNS, and the team's own egress stays the team's business.
                podSelector: {},
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [
                        { podSelector: {} },
                        // Add-ons' pods that call the team's on ports it chooses (Flagger's webhooks and
                        // scrapes): those pods of their namespace only, not whatever else runs there.
                        ...args.callers.map((caller) => ({
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": caller.namespace } },
                            podSelector: {
                                matchLabels: { ...caller.matchLabels },
                                ...(caller.matchExpressions ? { matchExpressions: caller.matchExpressions.map((e) => ({ ...e, values: [...e.values] })) } : {}),
                            },
                        })),
                        ...(args.ingressNamespaces.length === 0 ? [] : [{
                            namespaceSelector: {
                                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...args.ingressNamespaces] }],
                            },
                        }]),
                    ],
                }],
            },
        }, parent);

        this.registerOutputs({ countedNamespace: this.countedNamespace });
    }
}

const waitForAnnotation = "pulumi.com/waitFor";

/**
 * The custom quota's `pulumi.com/waitFor`: a used count in its status for each installed kind.
 * Until a kind is counted, the API server refuses every create of it, so objects of that kind
 * wait for the count (docs/upstream.md, "A custom kind's first count"). Kinds not installed are
 * never counted, so are not awaited; with none, the quota's first sync (`{.status.hard}`) is
 * enough (docs/upstream.md, "What `pulumi.com/waitFor` awaits"; test/tools/waitFor.spec.ts).
 */
export function customQuotaReady(installed: readonly string[]): string {
    if (installed.length === 0) {
        return "jsonpath={.status.hard}";
    }
    return JSON.stringify(installed.map((resource) => `jsonpath={.status.used['count/${resource}']}`));
}
