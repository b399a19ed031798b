import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IsolationSettings } from "./settings";
import { flaggerCallerPods, flaggerNamespace, platformLabels, teamFenceNames } from "../shared/names";

/** A ConstraintTemplate a team's constraint is an instance of. */
export interface ConstraintTemplateRef {
    /** The constraint kind the template defines. */
    readonly kind: string;
    /** The template; the kind exists only once Gatekeeper has processed it. */
    readonly template: pulumi.Resource;
    /** The workloads the template judges: a constraint matches exactly these. */
    readonly workloads: { readonly apiGroups: readonly string[]; readonly kinds: readonly string[] };
}

export interface TenantPolicyArgs {
    /** The team's name, which is its namespace's. */
    readonly team: string;
    /** The team's namespace; pass the Namespace's output so the policy waits for it. */
    readonly namespace: pulumi.Input<string>;
    readonly isolation: IsolationSettings;
    /** Namespaces allowed into the team's, besides its own and Flagger's. */
    readonly ingressNamespaces: readonly string[];
    readonly containerResources: ConstraintTemplateRef;
    /**
     * The installed engines' and add-ons' kinds a team may create, as `<plural>.<group>`: each is
     * counted by the quota (`quota.customResources` of each).
     */
    readonly customResources: readonly string[];
    /** Extra labels for every object. */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * What fences one team in, besides the Pod Security labels on its namespace: a ResourceQuota and
 * a LimitRange so it cannot take the cluster, one NetworkPolicy so other teams cannot reach its
 * pods, and its own ContainerResources constraint. Everything is the team's own, so adding or
 * removing a team touches no other team's objects.
 */
export class TenantPolicy extends pulumi.ComponentResource {
    constructor(name: string, args: TenantPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:TenantPolicy", name, {}, opts);
        const parent = { parent: this };
        const labels = platformLabels("tenant-policy", args.labels);
        const { quota, limits } = args.isolation;
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
                    ...Object.fromEntries(args.customResources.map((resource) => [`count/${resource}`, `${quota.customResources}`])),
                },
            },
        }, parent);

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
                        // Flagger calls a Canary's webhooks (a load tester, a gate) and its Prometheus
                        // scrapes annotated pods, each on whatever port the team chose: those two pods
                        // of flagger-system only, not whatever else runs there.
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": flaggerNamespace } },
                            podSelector: {
                                matchLabels: { ...flaggerCallerPods.matchLabels },
                                matchExpressions: flaggerCallerPods.matchExpressions.map((e) => ({ ...e, values: [...e.values] })),
                            },
                        },
                        ...(args.ingressNamespaces.length === 0 ? [] : [{
                            namespaceSelector: {
                                matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...args.ingressNamespaces] }],
                            },
                        }]),
                    ],
                }],
            },
        }, parent);

        if (args.isolation.policies.containerResources) {
            new k8s.apiextensions.CustomResource(`${name}-container-resources`, {
                apiVersion: "constraints.gatekeeper.sh/v1beta1",
                kind: args.containerResources.kind,
                metadata: { name: args.team, labels },
                spec: {
                    enforcementAction: "deny",
                    match: {
                        kinds: [{ apiGroups: [...args.containerResources.workloads.apiGroups], kinds: [...args.containerResources.workloads.kinds] }],
                        namespaces: [args.namespace],
                    },
                },
            }, { parent: this, dependsOn: [args.containerResources.template] });
        }

        this.registerOutputs({});
    }
}
