export { freePort } from '../../src/sandbox/common/free-port';
