"""A learner's own jax.custom_jvp rules for tanh: right, wrong, and right only as a number."""

import jax
import jax.numpy as jnp


@jax.custom_jvp
def my_tanh(x):
    return jnp.tanh(x)


@my_tanh.defjvp
def _my_tanh_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = jnp.tanh(x)
    return y, (1 - y * y) * dx


@jax.custom_jvp
def bad_tanh(x):
    return jnp.tanh(x)


@bad_tanh.defjvp
def _bad_tanh_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = jnp.tanh(x)
    return y, (1 - y) * dx  # should be 1 - y²


@jax.custom_jvp
def stopped_tanh(x):
    return jnp.tanh(x)


@stopped_tanh.defjvp
def _stopped_tanh_jvp(primals, tangents):
    (x,), (dx,) = primals, tangents
    y = jnp.tanh(x)
    return y, (1 - jax.lax.stop_gradient(y) ** 2) * dx  # a number, not a function of x
