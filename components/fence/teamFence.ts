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
                    // Object counts (k8s.io/kubernetes pkg/quota/v1/evaluator/core, `count/<resource>.<group>`,
                    // checked object by object on create): what fills etcd and the caches of every
                    // controller that watches the kind, shared by all teams.
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
 *
 * Until kube-controller-manager has counted a kind, the API server refuses every create of it
 * that the quota caps: its quota admission refuses a request whose resource is in the quota's
 * `status.hard` without a `status.used` ("status unknown for quota", k8s.io/apiserver v0.37.2 and
 * v0.30.14 pkg/admission/plugin/resourcequota/controller.go, `CheckRequest`, `hasUsageStats`).
 * The controller fills `status.hard` at once but counts a custom kind only once its quota monitor
 * has found the CRD (discovery every 30 s, k8s.io/kubernetes cmd/kube-controller-manager/app/core.go)
 * and then recounts the quota, which a new CRD does not trigger: the quota's own create or spec
 * change, a delete of a counted object in the namespace, or the full resync every
 * `--resource-quota-sync-period` (5 min by default; pkg/controller/resourcequota/
 * resource_quota_controller.go, `addQuota`, `replenishQuota`, `enqueueAll`). A kind whose CRD
 * is absent is never counted, so only installed kinds are awaited; a create of one installed
 * later is refused until that recount.
 *
 * Read in pulumi-kubernetes at master 94977969 (July 2026, the newest stored snapshot: after
 * v4.32.0, before the v4.34.2 we use, whose tag it does not have), provider/pkg/metadata/
 * overrides.go `ReadyCondition`: a JSON array of strings is awaited as all of them, each
 * `jsonpath={<path>}` (no `=value`) is met when the path selects anything
 * (provider/pkg/jsonpath/jsonpath.go `Matches`, RFC 9535 paths of github.com/theory/jsonpath,
 * whose bracketed names may hold dots and slashes), within the provider's 10 minutes
 * (provider/pkg/await/await.go). No kind: the annotation's single `{.status.hard}`, met as soon as
 * the controller has synced the quota once.
 */
export function customQuotaReady(installed: readonly string[]): string {
    if (installed.length === 0) {
        return "jsonpath={.status.hard}";
    }
    return JSON.stringify(installed.map((resource) => `jsonpath={.status.used['count/${resource}']}`));
}
