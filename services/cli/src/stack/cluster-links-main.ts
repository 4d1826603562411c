import fs from 'node:fs';
import { startLinks, type LinksConfig } from './cluster-links.ts';

// The links daemon of cluster mode (cluster-links.ts), started by `stack up --cluster` with the
// path of its config (links + control port); stops on SIGTERM.
const file = process.argv[2];
if (!file) throw new Error('usage: cluster-links-main.ts <links.json>');
const config = JSON.parse(fs.readFileSync(file, 'utf8')) as LinksConfig;
const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
const links = await startLinks(config, say);
const stop = () => void links.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
