// Network helpers shared by rules, custom-rule operators and search: IP addresses, CIDR blocks, port ranges.
export * from './cidr.js';
export * from './ip.js';
export * from './ports.js';
