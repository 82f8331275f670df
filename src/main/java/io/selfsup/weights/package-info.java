/**
 * PyTorch state_dicts in and out (.safetensors, .npz) under torchvision's and the article's names. Imports method, nn, run, encode.
 */
package io.selfsup.weights;
