// The add-ons a stack can install, and how the platform core installs them once and hands each
// team its part. The only file that lists the add-ons: adding one is a folder beside these and its
// entries here (docs/architecture.md, "Adding an add-on").
import * as pulumi from "@pulumi/pulumi";
import { AddonCluster, AddonTraits } from "../shared/addon";
import { MirrorSettings } from "../shared/mirror";
import { flaggerAddon, FlaggerTeam } from "./flagger/addon";
import { FlaggerSettings } from "./flagger/settings";
import { gatekeeperAddon, GatekeeperTeam } from "./gatekeeper/addon";

/** In the order they are installed: Gatekeeper first, as its webhook gates every other Namespace. */
export const addons = { gatekeeper: gatekeeperAddon, flagger: flaggerAddon } as const;

/** A team's settings, as every add-on reads them. */
export type AddonTeamSettings = GatekeeperTeam & FlaggerTeam;

/** An installed add-on, as the platform core uses it. */
export type InstalledAddon = AddonCluster<AddonTeamSettings>;

/** What config gives the add-ons; one that is off is not installed. */
export interface AddonInstallSettings {
    readonly flagger: FlaggerSettings;
}

/**
 * Installs each add-on that is on, once, as `${name}-<addon>` made with `opts`: each after the
 * gates of those before it (Gatekeeper's fail-closed namespace webhook). Returns them in order,
 * and what every other Namespace of the platform must wait for.
 */
export function installAddons(name: string, installs: AddonInstallSettings, mirror: MirrorSettings, opts: pulumi.ComponentResourceOptions):
    { readonly installed: readonly InstalledAddon[]; readonly gates: readonly pulumi.Resource[] } {
    const installed: InstalledAddon[] = [];
    const gates: pulumi.Resource[] = [];
    const add = (cluster: InstalledAddon) => {
        installed.push(cluster);
        if (cluster.gate) {
            gates.push(cluster.gate);
        }
    };
    const after = () => gates.length === 0 ? opts : { ...opts, dependsOn: [...gates] };
    add(addons.gatekeeper.install(`${name}-gatekeeper`, { settings: {}, mirror }, after()));
    if (installs.flagger.enabled) {
        add(addons.flagger.install(`${name}-flagger`, { settings: installs.flagger, mirror }, after()));
    }
    return { installed, gates };
}

/** What the fence knows of every add-on, installed or not (AddonTraits). */
export function everyAddonTraits(): AddonTraits[] {
    return Object.values(addons).map((addon) => addon.traits);
}

/** The namespaces of every add-on, installed or not: no team may take one. */
export function addonNamespaces(): string[] {
    return everyAddonTraits().map((traits) => traits.namespace);
}


/** Every `platform:` key the add-ons read, as `platform:<key>`'s `<key>`. */
export function addonConfigKeys(): string[] {
    return Object.values(addons).flatMap((addon) => [...Object.keys(addon.config.plainBecause), ...addon.config.credentials ?? []]);
}

/** The add-ons' keys that hold no credential, each with why it cannot be kept secret. */
export function addonPlainKeys(): Record<string, string> {
    return Object.assign({}, ...Object.values(addons).map((addon) => addon.config.plainBecause)) as Record<string, string>;
}
