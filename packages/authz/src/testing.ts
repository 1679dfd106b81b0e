export { authorizerContract } from './contract.js';
