# Fabbisogni. The two commands a new user needs:
#   make demo   install what is missing, start ClickHouse in ./var/clickhouse, run the pipeline on the sample corpus
#   make test   install what is missing, start a throwaway ClickHouse, run go vet and every test
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go

.PHONY: all build demo test deps clickhouse-start clickhouse-stop backtest eval fuzz clean

all: build

build:
	$(GO) build -o bin/fabbisogni ./cmd/fabbisogni

deps:
	scripts/deps.sh

demo: deps build
	scripts/clickhouse.sh start var/clickhouse
	bin/fabbisogni demo
	@echo "ClickHouse keeps running for your queries; stop it with: scripts/clickhouse.sh stop var/clickhouse"

test:
	scripts/test.sh

clickhouse-start: deps
	scripts/clickhouse.sh start var/clickhouse

clickhouse-stop:
	scripts/clickhouse.sh stop var/clickhouse

# Rolling-origin backtests of the forecaster (issue 7): JOLTS, and Lazio by job
# centre, by ISCO-08 major group (coded by the NLP stage) and by both.
backtest: build
	bin/fabbisogni forecast backtest --jolts
	bin/fabbisogni forecast backtest --lazio --lazio-by cpi
	bin/fabbisogni forecast backtest --lazio --lazio-by isco
	bin/fabbisogni forecast backtest --lazio --lazio-by cpi-isco

# Evaluation of the NLP stage (issue 3): SkillSpan dev, Lazio ISCO coding, the hand-coded gold set.
eval: deps
	$(GO) test -count=1 -run 'TestEvalAll' -v ./nlp/ | grep -v '^=== RUN'

# Fuzzing of the NLP stage (issue 3): the normaliser and the extractor, FUZZTIME each
# (default 45s). Minimising each new input is capped at 5s: at Go's default of 60s a
# 45-second run spent most of its time minimising and ran about 15,000 inputs.
FUZZTIME ?= 45s
fuzz: deps
	$(GO) test -run XXX -fuzz 'FuzzNormalize$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./nlp/
	$(GO) test -run XXX -fuzz 'FuzzExtract$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 5s ./nlp/

clean:
	rm -rf bin
