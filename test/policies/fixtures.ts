// Synthetic resources for the policy specs, shaped as the platform's program registers them.
import { Synthetic } from "../kit/policyHarness";

const rbac = "kubernetes:rbac.authorization.k8s.io/v1";
export const types = {
    namespace: "kubernetes:core/v1:Namespace",
    secret: "kubernetes:core/v1:Secret",
    deployment: "kubernetes:apps/v1:Deployment",
    clusterRole: `${rbac}:ClusterRole`,
    clusterRoleBinding: `${rbac}:ClusterRoleBinding`,
    deployKey: "github:index/repositoryDeployKey:RepositoryDeployKey",
};

export function namespace(name: string, labels: Record<string, string>): Synthetic {
    return { type: types.namespace, name: `ns-${name}`, props: { metadata: { name, labels } } };
}

export function clusterRole(name: string, rules: unknown[]): Synthetic {
    return { type: types.clusterRole, name: `role-${name}`, props: { metadata: { name }, rules } };
}

export const fluxAccount = (namespace: string) => ({ kind: "ServiceAccount", name: "flux", namespace });

export function clusterRoleBinding(name: string, role: string, subjects: unknown[]): Synthetic {
    return {
        type: types.clusterRoleBinding,
        name: `binding-${name}`,
        props: { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role }, subjects },
    };
}

export interface FluxShape {
    readonly args?: string[];
    readonly volumes?: unknown[];
    readonly mounts?: unknown[];
}

/** A Flux Deployment as the platform builds it; parts can be replaced to break it. */
export function fluxDeployment(namespace: string, repo: string, shape: FluxShape = {}): Synthetic {
    return {
        type: types.deployment,
        name: `flux-${namespace}`,
        props: {
            metadata: { name: "flux", namespace },
            spec: {
                template: {
                    spec: {
                        volumes: shape.volumes ?? [
                            { name: "git-key", secret: { secretName: "flux-git-deploy", defaultMode: 0o400 } },
                            { name: "ssh-config", configMap: { name: "flux-config", items: [{ key: "known_hosts", path: "known_hosts" }] } },
                        ],
                        containers: [{
                            name: "flux",
                            image: "docker.io/fluxcd/flux:1.25.4",
                            args: shape.args ?? [`--git-url=git@github.com:org/${repo}.git`, "--k8s-secret-name=flux-git-deploy"],
                            volumeMounts: shape.mounts ?? [
                                { name: "git-key", mountPath: "/etc/fluxd/ssh", readOnly: true },
                                { name: "ssh-config", mountPath: "/root/.ssh", readOnly: true },
                            ],
                        }],
                    },
                },
            },
        },
    };
}

export function deployKey(name: string, repository: string, readOnly: boolean | undefined): Synthetic {
    return {
        type: types.deployKey,
        name: `key-${name}`,
        props: { repository, title: `flux in namespace ${name}`, key: "ssh-ed25519 AAAA", ...(readOnly === undefined ? {} : { readOnly }) },
    };
}

export function kubernetesSecret(name: string, fields: Record<string, unknown>): Synthetic {
    return { type: types.secret, name: `secret-${name}`, props: { metadata: { name, namespace: "team1" }, type: "Opaque", ...fields } };
}

export const fluxV2Types = {
    kustomization: "kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization",
    fluxInstance: "kubernetes:fluxcd.controlplane.io/v1:FluxInstance",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    gitRepository: "kubernetes:source.toolkit.fluxcd.io/v1:GitRepository",
};

/** The GitRepository the Flux v2 engine makes in `namespace` for `repo`. */
export function gitRepository(namespace: string, repo: string): Synthetic {
    return {
        type: fluxV2Types.gitRepository,
        name: `git-repository-${namespace}`,
        props: {
            apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name: "gitops-platform", namespace },
            spec: { url: `ssh://git@github.com/org/${repo}.git`, interval: "1m", ref: { branch: "main" }, secretRef: { name: "flux-git-deploy" } },
        },
    };
}

/** A Kustomization as the Flux v2 engine makes it in `namespace`; `spec` replaces or adds fields, an undefined one removes it. */
export function kustomization(namespace: string, spec: Record<string, unknown> = {}, name = "gitops-platform"): Synthetic {
    return {
        type: fluxV2Types.kustomization,
        name: `kustomization-${namespace}-${name}`,
        props: {
            apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
            metadata: { name, namespace },
            spec: Object.fromEntries(Object.entries({
                sourceRef: { kind: "GitRepository", name: "gitops-platform" }, path: "./", prune: true, interval: "5m",
                serviceAccountName: "flux-tenant", targetNamespace: namespace, ...spec,
            }).filter(([, value]) => value !== undefined)),
        },
    };
}

/** A FluxInstance; `cluster` replaces its spec.cluster. */
export function fluxInstance(cluster: Record<string, unknown>): Synthetic {
    return {
        type: fluxV2Types.fluxInstance,
        name: "flux-instance",
        props: {
            apiVersion: "fluxcd.controlplane.io/v1", kind: "FluxInstance", metadata: { name: "flux", namespace: "flux-system" },
            spec: { distribution: { version: "2.9.4", registry: "ghcr.io/fluxcd" }, cluster },
        },
    };
}
