# `make demo` and `make test` do all the set-up on a fresh Debian machine:
# they create .venv when it is missing, install chainrule (editable) with the
# extras they need, make sure Graphviz's `dot` is there, and then run.
# Stamp files make a second run skip installs whose inputs have not changed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: demo test bench lint fuzz mutate mutate-all graphviz fonts chromium clean

demo: $(VENV)/.demos-installed graphviz fonts chromium
	$(PY) demos/apple_shop.py
	$(PY) demos/train_digits.py
	$(PY) demos/moons.py --live --port 0 --screenshot out/live_moons_ko.png --lang ko
	$(PY) demos/backward_mistakes.py
	$(PY) demos/check_my_engine.py
	cp demos/chapter5.ipynb out/chapter5.ipynb
	$(VENV)/bin/jupyter-execute --inplace out/chapter5.ipynb
	@echo "Files written:"; ls -1 out/* | sed 's/^/  /'
	@echo "The chapter 5 notebook, run: out/chapter5.ipynb (demos/chapter5.ipynb unrun);"
	@echo "open it with Jupyter: .venv/bin/pip install jupyterlab && .venv/bin/jupyter lab"

test: $(VENV)/.test-installed graphviz fonts chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

# The anchors side by side, then one MNIST-size epoch (its files are written to out/mnist
# from scikit-learn's digits the first time: nothing is downloaded).
bench: $(VENV)/.bench-installed
	$(PY) benchmarks/run.py
	$(PY) benchmarks/mnist_epoch.py out/mnist

# The property tests with many more examples and a fresh random seed each run (CI's
# profile is derandomized, so that a test cannot flake). A failure prints its seed.
fuzz: $(VENV)/.test-installed graphviz fonts
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider \
	  tests/test_properties.py tests/test_compile.py tests/test_testing_toolkit.py \
	  tests/test_nn_layers.py tests/test_cli.py tests/test_derivative_checks.py \
	  tests/test_user_ops.py tests/test_scaling.py tests/test_paths.py \
	  tests/test_not_finite.py tests/test_hangul.py

# Mutation testing (see [tool.mutmut] in pyproject.toml). Each surviving mutant is a
# missing test, or an equivalent mutant to name in the notes. `make mutate` runs the
# engine's core; `make mutate-all` every module the table lists (the CLI, the texts, the
# diagrams, DataParallel and the exercises too: it takes hours on two cores).
CORE_MUTANTS := 'autograd.ops.*' 'autograd.fastpaths.*' 'autograd.backprop.*' 'autograd.compile.*' 'autograd.nary.*' \
  'autograd.symbolic.*' 'autograd.pathsum.*' 'autograd.explain.*'

mutate: $(VENV)/.mutate-installed graphviz fonts
	rm -rf mutants
	CI=true $(VENV)/bin/mutmut run --max-children 2 $(CORE_MUTANTS)
	$(VENV)/bin/mutmut results

mutate-all: $(VENV)/.mutate-installed graphviz fonts
	rm -rf mutants
	CI=true $(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

lint: $(VENV)/.test-installed
	$(PY) -m ruff check .

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes (the editable install picks up code changes).
# The tests run the demos too, so they need the demos' extra as well.
$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,demos]'
	@touch $@

$(VENV)/.bench-installed: pyproject.toml benchmarks/requirements.txt | $(PY)
	$(PY) -m pip install --quiet -e '.[demos]' -r benchmarks/requirements.txt
	@touch $@

$(VENV)/.mutate-installed: $(VENV)/.test-installed
	$(PY) -m pip install --quiet 'mutmut>=3.3'
	@touch $@

$(VENV)/.demos-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[demos]'
	@touch $@

# A program from Debian that the project needs: as root, make installs its package;
# otherwise it stops and says exactly what to install.
# $(call debian,COMMAND,PACKAGE,WHAT IT IS FOR) -- no commas inside the arguments
define debian
if ! command -v $(1) >/dev/null 2>&1; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "$(1) is missing ($(3)): installing Debian's $(2) package"; \
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "The '$(1)' program is missing ($(3)). Install it then run make again:"; \
    echo "    sudo apt-get install $(2)      (Debian/Ubuntu)"; \
    exit 1; \
  fi; \
fi
endef

# Graphviz's `dot` renders the diagrams.
graphviz:
	@$(call debian,dot,graphviz,Graphviz draws the diagrams)

# Diagrams label nodes in Korean and Japanese (사과, りんご): without a CJK font they come
# out as empty boxes. As root we install Debian's Noto CJK fonts; otherwise we say how.
fonts:
	@if ! command -v fc-list >/dev/null 2>&1 || [ -z "$$(fc-list :lang=ko family)" ] || \
	    [ -z "$$(fc-list :lang=ja family)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "No font for Korean and Japanese: installing Debian's fonts-noto-cjk package"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fontconfig fonts-noto-cjk \
	      >/dev/null; \
	  else \
	    echo "No font covers Korean and Japanese, so diagrams would show empty boxes."; \
	    echo "Install one, then run make again:"; \
	    echo "    sudo apt-get install fontconfig fonts-noto-cjk      (Debian/Ubuntu)"; \
	    exit 1; \
	  fi; \
	fi

# The live view's tests drive a real browser, and `make demo` pictures the view with it
# (playwright, with Debian's chromium: nothing is downloaded at run time).
chromium:
	@$(call debian,chromium,chromium,the live view's browser tests and screenshot use it)

clean:
	rm -rf $(VENV) out mutants .pytest_cache .hypothesis .ruff_cache *.egg-info
