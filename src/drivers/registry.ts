import { join } from 'node:path';
import { Driver, Kind } from './types';

/**
 * Loads a kind's driver bundle (dist/drivers/<kind>.js) on first use, so activation loads no client library.
 */
export class DriverRegistry {
  private readonly loaded = new Map<Kind, Driver>();

  constructor(private readonly directory: string) {}

  get(kind: Kind): Driver {
    let driver = this.loaded.get(kind);
    if (!driver) {
      // A computed path keeps the bundler from inlining the driver into the extension bundle.
      const module: unknown = require(join(this.directory, `${kind}.js`));
      if (typeof module !== 'object' || module === null || !('driver' in module)) throw new Error(`The ${kind} driver bundle exports no driver.`);
      driver = module.driver as Driver;
      this.loaded.set(kind, driver);
    }
    return driver;
  }

  /** Kinds whose client library has been loaded in this extension host. */
  loadedKinds(): Kind[] {
    return [...this.loaded.keys()];
  }
}
