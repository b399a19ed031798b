// The add-on contract, beside the engine contract (engine.ts), in the shape of cdk-eks-blueprints'
// `lib/spi`: an add-on is installed once per cluster (`install`, its `deploy`) and has a part per
// team (`teamFence`, `teamPart`, `teamRepo`, its `setup`). What an add-on gives a team, or needs
// from the fence, goes through here, so that nothing outside components/addons/<addon>/ knows its
// chart, its kinds or its pods; the platform core loops over components/addons/registry.ts.
import * as pulumi from "@pulumi/pulumi";
import { MirrorSettings } from "./mirror";

/** The add-ons a stack can install, in the order they are installed. */
export type AddonName = "gatekeeper" | "flagger";

/** Pods of one namespace, as a NetworkPolicy peer selects them. */
export interface PodPeer {
    readonly namespace: string;
    readonly matchLabels: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

/**
 * What the fence knows of an add-on whether it is installed or not: a team's counts and network
 * policy hold them either way, so that installing an add-on changes no team's fence.
 */
export interface AddonTraits {
    /** The add-on's own namespace: no team may take its name, and the platform closes it to every other namespace. */
    readonly namespace: string;
    /** Kinds a team may create in its namespace, as `<plural>.<group>`: every team's quota counts them. */
    readonly teamKinds: readonly string[];
    /**
     * The add-on's other namespaced kinds: its controllers read them only in its own namespace, and
     * the TeamGuard refuses them in team namespaces (no quota counts them).
     */
    readonly platformKinds?: readonly string[];
    /** The add-on's pods that call teams' pods, on ports teams choose: every team's network policy admits them. */
    readonly callers?: PodPeer;
    /** Pods of the add-on that the API server calls (an admission webhook): that port alone is open to every source. */
    readonly apiServerCalls?: { readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
}

/** A team as an add-on's per-team part sees it: its name and namespace, and the team's settings the add-on reads. */
export interface AddonTeam<Team> {
    readonly name: string;
    /**
     * The team's namespace once its quota counts every installed kind: what creates a counted
     * custom object there must take the namespace from here.
     */
    readonly namespace: pulumi.Output<string>;
    readonly settings: Team;
}

/** A team's fence, as an add-on adds to it. */
export interface TeamFenceRef {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The team's namespace, once the Namespace exists. */
    readonly namespace: pulumi.Input<string>;
}

/** What an add-on adds to a new team repo's starting files: a variant name, and its files in a folder. */
export interface AddonRepoFiles {
    /**
     * Names the files, for the template repository's key: teams whose add-ons give the same
     * variants share a template.
     */
    readonly variant: string;
    files(path: string): Record<string, string>;
}

/** The typed handle an install returns: what was installed once, and each team's part. */
export interface AddonCluster<Team> {
    readonly addon: AddonName;
    readonly traits: AddonTraits;
    /** The add-on's namespace, once it exists. */
    readonly namespace: pulumi.Output<string>;
    /** What the install created: a refused `pulumi destroy` leaves it with the teams it serves. */
    readonly parts: readonly pulumi.Resource[];
    /**
     * What every other Namespace of the platform must wait for, when the add-on's admission
     * webhook fails closed on namespaces until it answers.
     */
    readonly gate?: pulumi.Resource;
    /** API groups whose objects' status only the add-on's controllers write: what a team writes there, they act on. */
    readonly statusGroups: readonly string[];
    /** The starting files a team repo gets from the add-on; undefined: none. */
    teamRepo?(team: Team): AddonRepoFiles | undefined;
    /**
     * The add-on's part of one team's fence, named `${fence.name}-<part>`, labelled `fence.labels`
     * and made with `opts` (the team's fence as parent); undefined when the team gets none. It
     * waits for the namespace only (`fence.namespace`), not for the quota, like the rest of the fence.
     */
    teamFence?(fence: TeamFenceRef, team: AddonTeam<Team>,
        opts: pulumi.CustomResourceOptions): pulumi.Resource | undefined;
    /** The add-on's objects in one team's namespace, named `${name}-<part>` and made with `opts` (the Team as parent). */
    teamPart?(name: string, team: AddonTeam<Team>, opts: pulumi.ComponentResourceOptions): pulumi.Resource | undefined;
}

/** The add-on's keys of stack config: config refuses each set with `--secret` unless it holds a credential. */
export interface AddonConfig {
    /** Keys that hold no credential, each with why it cannot be kept secret (where its values end up). */
    readonly plainBecause: Readonly<Record<string, string>>;
    /** Keys that hold a credential: set with `--secret`, and kept secret to the pod. */
    readonly credentials?: readonly string[];
}

/**
 * An add-on: what the fence knows of it, and its install. `Settings` are what config gives it;
 * `Team` is the part of a team's settings it reads.
 */
export interface Addon<Settings, Team> {
    readonly name: AddonName;
    readonly traits: AddonTraits;
    /** The `platform:` keys the add-on reads, as `platform:<key>`'s `<key>`. */
    readonly config: AddonConfig;
    /**
     * Installs the add-on once per cluster, as the component `name` made with `opts` (the platform
     * as parent, and the gates of the add-ons installed before it as dependencies).
     */
    install(name: string, args: { readonly settings: Settings; readonly mirror: MirrorSettings },
        opts: pulumi.ComponentResourceOptions): AddonCluster<Team>;
}
