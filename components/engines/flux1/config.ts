// Flux v1's settings in stack config: `platform:flux` (the image, and the intervals every fluxd
// runs with unless its team says otherwise), `platform:memcached`, and a team's `flux` object.
import { ConfigValue, EngineConfig } from "../../shared/engine";
import { readInteger, readObject, readString, readStringList } from "../../shared/settings/fields";
import { goDuration } from "../../shared/settings/goDuration";
import { imageReference } from "../../shared/settings/image";
import { Problems } from "../../shared/settings/problems";
import { fluxV1Image, memcachedImage } from "../../shared/versions";
import { fluxArg } from "./flags";
import { FluxV1Settings, MemcachedSettings } from "./settings";

export const fluxV1Defaults = {
    flux: { image: fluxV1Image, gitPollInterval: "5m", syncInterval: "5m", args: [] as readonly string[] },
    memcached: { image: memcachedImage, maxMemoryMb: 512 },
} as const;

// fluxd reads its interval flags as Go durations (docs/upstream.md, "fluxd's flags and how they are parsed").
const interval = goDuration("fluxd");
const platformFluxKeys = ["image", "gitPollInterval", "syncInterval"];
const teamFluxKeys = ["gitPollInterval", "syncInterval", "args"];

function readPlatformFlux({ key, value }: ConfigValue, problems: Problems): FluxV1Settings {
    const obj = value === undefined ? {} : readObject(key, value, platformFluxKeys, problems) ?? {};
    const d = fluxV1Defaults.flux;
    return {
        image: readString(`${key}.image`, obj.image, d.image, problems, imageReference),
        gitPollInterval: readString(`${key}.gitPollInterval`, obj.gitPollInterval, d.gitPollInterval, problems, interval),
        syncInterval: readString(`${key}.syncInterval`, obj.syncInterval, d.syncInterval, problems, interval),
        args: [],
    };
}

function readMemcached({ key, value }: ConfigValue, problems: Problems): MemcachedSettings {
    const obj = value === undefined ? {} : readObject(key, value, ["image", "maxMemoryMb"], problems) ?? {};
    const d = fluxV1Defaults.memcached;
    return {
        image: readString(`${key}.image`, obj.image, d.image, problems, imageReference),
        maxMemoryMb: readInteger(`${key}.maxMemoryMb`, obj.maxMemoryMb, d.maxMemoryMb, problems, 64, 65536),
    };
}

/** Flux v1's part of the stack config: the keys it reads, how each is validated, and what differs per cluster. */
export const fluxV1Config: EngineConfig<MemcachedSettings, FluxV1Settings> = {
    platformKeys: ["flux", "memcached"],
    plainBecause: {
        flux: "its image and intervals are the image and args of every Flux Deployment",
        memcached: "its image and size are the memcached Deployment's image and args",
    },
    readPlatform: (value, _inUse, problems) => ({
        defaults: readPlatformFlux(value("flux"), problems),
        install: readMemcached(value("memcached"), problems),
    }),
    teamKeys: teamFluxKeys,
    // fluxd's sync tag and notes are "for this cluster" (docs/upstream.md, "Sync state"): clusters
    // syncing one repo each keep their own, unless the team set them.
    forCluster: (settings, cluster) => settings.args.some((arg) => /^--git-(label|sync-tag|notes-ref)(=|$)/.test(arg))
        ? settings
        : { ...settings, args: [...settings.args, `--git-label=flux-${cluster}`] },
    images: (install, defaults) => [
        { key: "platform:flux.image", image: defaults.image },
        { key: "platform:memcached.image", image: install.image },
    ],
    readTeam: ({ key, value }, defaults, _team, problems) => {
        const obj = value === undefined ? {} : readObject(key, value, teamFluxKeys, problems) ?? {};
        return {
            image: defaults.image,
            gitPollInterval: readString(`${key}.gitPollInterval`, obj.gitPollInterval, defaults.gitPollInterval, problems, interval),
            syncInterval: readString(`${key}.syncInterval`, obj.syncInterval, defaults.syncInterval, problems, interval),
            args: readStringList(`${key}.args`, obj.args, problems, fluxArg),
        };
    },
};
