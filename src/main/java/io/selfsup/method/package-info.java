/**
 * The method registry (Method, Methods, one class per method with its settings record) and the pieces methods share (losses, MomentumTarget, ProjectedBackbone). Imports nn, optim, data, report; not train or cli.
 */
package io.selfsup.method;
