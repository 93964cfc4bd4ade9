// The live view: one script for the page (start) and the Jupyter widget (render).
// It draws each snapshot the Python side sends (nn/live/snapshot.py) and sends the
// controls back. No library, no network but the training process's own server.

const WORDS = {
  en: { title: "chainrule: watch it learn", step: "step", loss: "loss",
        curve: "loss per step", boundary: "decision boundary (click: add a point; " +
        "shift-click: of the other class)", network: "network",
        predictions: "predictions (true class in brackets), confusion matrix: right",
        graph: (k) => `the scalar graph of sample ${k}: each node's data and d output / d node`,
        tooBig: (n, limit) => `the sample's scalar graph has ${n} nodes, more than the ` +
          `${limit} drawn here: the network view below shows this model`,
        sample: "sample", pause: "pause", resume: "resume", one: "one step",
        slow: "delay per step (s)", history: "history", waiting: "waiting for training…",
        paused: "paused", closed: "no connection to the training (it may have ended): " +
        "the page keeps the last view",
        wide: "layers wider than 64 neurons show their first 64" },
  ko: { title: "chainrule: 학습을 지켜보기", step: "단계", loss: "손실",
        curve: "단계별 손실",
        boundary: "결정 경계 (클릭: 점 추가, Shift+클릭: 다른 부류의 점)", network: "신경망",
        predictions: "예측 (괄호 안은 정답), 혼동 행렬: 맞힌 수",
        graph: (k) => `표본 ${k}의 스칼라 그래프: 노드마다 data와 d 출력 / d 노드`,
        tooBig: (n, limit) => `표본의 스칼라 그래프는 노드가 ${n}개로, 여기서 그리는 ` +
          `${limit}개보다 많습니다. 아래 신경망 그림이 이 모델을 보여 줍니다`,
        sample: "표본", pause: "일시 정지", resume: "다시 시작", one: "한 단계",
        slow: "단계마다 지연(초)", history: "지난 기록", waiting: "학습을 기다리는 중…",
        paused: "일시 정지됨",
        closed: "학습과 연결이 끊겼습니다(끝났을 수 있습니다). 마지막 화면을 보여 줍니다",
        wide: "뉴런이 64개보다 많은 층은 처음 64개만 보여 줍니다" },
  ja: { title: "chainrule: 学習を見る", step: "ステップ", loss: "損失",
        curve: "ステップごとの損失",
        boundary: "決定境界(クリック: 点を追加、Shift+クリック: 別の類の点)",
        network: "ネットワーク", predictions: "予測(括弧内は正解)、混同行列: 正解数",
        graph: (k) => `サンプル ${k} のスカラーグラフ: 各ノードの data と d 出力 / d ノード`,
        tooBig: (n, limit) => `サンプルのスカラーグラフはノードが ${n} 個あり、ここで描く ` +
          `${limit} 個より多いので、下のネットワーク図がこのモデルを示します`,
        sample: "サンプル", pause: "一時停止", resume: "再開", one: "1 ステップ",
        slow: "ステップごとの遅延(秒)", history: "履歴", waiting: "学習を待っています…",
        paused: "一時停止中",
        closed: "学習との接続が切れました(終わったのかもしれません)。最後の表示を残します",
        wide: "64 個より多いニューロンの層は最初の 64 個だけを表示します" },
};

const HISTORY = 1000;  // snapshots the page keeps for scrubbing: a ring

function element(tag, attributes = {}, text = "") {
  const made = document.createElement(tag);
  Object.entries(attributes).forEach(([k, v]) => made.setAttribute(k, v));
  if (text) made.textContent = text;
  return made;
}

function layout(root, words) {
  root.classList.add("live");
  root.innerHTML = "";
  const parts = {};
  root.append(element("h1", {}, words.title));
  parts.status = element("div", { class: "status" });
  parts.stepText = element("b", { id: "step" }, words.waiting);
  parts.lossText = element("b", { id: "loss" });
  parts.state = element("span", { class: "note" });
  parts.status.append(parts.stepText, parts.lossText, parts.state);
  root.append(parts.status);
  for (const [name, title, width, height] of [["curve", words.curve, 560, 320],
                                              ["boundary", words.boundary, 320, 320]]) {
    const panel = element("div", { class: "panel" });
    parts[`${name}Title`] = element("h2", {}, title);
    panel.append(parts[`${name}Title`]);
    parts[name] = element("canvas", { width, height, id: name });
    panel.append(parts[name]);
    root.append(panel);
  }
  const graph = element("div", { class: "panel", style: "grid-column: 1 / 3" });
  parts.graphTitle = element("h2", {}, words.graph(0));
  graph.append(parts.graphTitle);
  parts.graph = element("div", { id: "graph" });
  graph.append(parts.graph);
  root.append(graph);
  const network = element("div", { class: "panel", style: "grid-column: 1 / 3" });
  network.append(element("h2", {}, words.network));
  parts.network = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  parts.network.setAttribute("width", "1000");
  parts.network.setAttribute("height", "320");
  network.append(parts.network);
  root.append(network);
  parts.controls = element("div", { class: "controls" });
  root.append(parts.controls);
  return parts;
}

function signColour(value, scale) {
  if (value === null) return "#999";
  const t = Math.max(-1, Math.min(1, value / scale));
  return t >= 0 ? `rgba(31, 119, 180, ${0.15 + 0.85 * t})` : `rgba(214, 39, 40, ${0.15 - 0.85 * t})`;
}

function drawCurve(canvas, losses) {
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const finite = losses.filter(([, l]) => l !== null && Number.isFinite(l));
  if (finite.length < 2) return;
  const steps = finite.map(([s]) => s), values = finite.map(([, l]) => l);
  const [s0, s1] = [Math.min(...steps), Math.max(...steps)];
  const [l0, l1] = [Math.min(...values), Math.max(...values)];
  g.strokeStyle = "#1f77b4"; g.lineWidth = 1.5; g.beginPath();
  finite.forEach(([s, l], i) => {
    const x = 30 + (canvas.width - 40) * (s - s0) / Math.max(1, s1 - s0);
    const y = canvas.height - 20 - (canvas.height - 30) * (l - l0) / Math.max(1e-12, l1 - l0);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
  g.fillStyle = "#555"; g.font = "11px sans-serif";
  g.fillText(l1.toPrecision(3), 2, 12); g.fillText(l0.toPrecision(3), 2, canvas.height - 22);
  g.fillText(String(s0), 30, canvas.height - 4);  // the steps the curve spans
  g.textAlign = "right"; g.fillText(String(s1), canvas.width - 10, canvas.height - 4);
  g.textAlign = "left";
}

function drawClasses(canvas, classes) {
  const g = canvas.getContext("2d");
  const { samples, side, confusion } = classes;
  samples.forEach((sample, k) => {  // 6 a row: the image, its prediction (green if right)
    const [x0, y0] = [(k % 6) * 52 + 4, Math.floor(k / 6) * 64 + 4];
    if (side) {
      const top = Math.max(...sample.pixels), cell = 44 / side;
      sample.pixels.forEach((v, i) => {
        const shade = Math.round(255 - 255 * Math.max(0, v) / (top || 1));
        g.fillStyle = `rgb(${shade},${shade},${shade})`;
        g.fillRect(x0 + (i % side) * cell, y0 + Math.floor(i / side) * cell, cell + 0.5, cell + 0.5);
      });
    }
    g.fillStyle = sample.predicted === sample.label ? "#2a7d2a" : "#c0392b";
    g.font = "12px sans-serif";
    g.fillText(`${sample.predicted ?? "?"} (${sample.label})`, x0, y0 + 58);
  });
  const n = confusion.length, cell = Math.min(16, 180 / n), top = 140;
  const most = Math.max(1, ...confusion.flat());
  confusion.forEach((row, t) => row.forEach((count, p) => {
    g.fillStyle = t === p ? `rgba(31, 119, 180, ${count / most})` : `rgba(214, 39, 40, ${count / most})`;
    g.fillRect(20 + p * cell, top + t * cell, cell - 1, cell - 1);
  }));
  g.fillStyle = "#555";
  g.fillText(`${classes.correct} / ${classes.count}`, 30 + n * cell, top + 12);
}

function drawBoundary(canvas, shot) {
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (shot.classes) { drawClasses(canvas, shot.classes); return; }
  if (!shot.boundary) return;
  const { scores, size, extent } = shot.boundary;
  const cell = canvas.width / size;
  scores.forEach((score, k) => {
    g.fillStyle = signColour(score === null ? null : Math.tanh(score), 1);
    g.fillRect((k % size) * cell, Math.floor(k / size) * cell, cell + 1, cell + 1);
  });
  const [left, right, bottom, top] = extent;
  (shot.points || []).forEach(([a, b], i) => {
    const x = (a - left) / (right - left) * canvas.width;
    const y = (top - b) / (top - bottom) * canvas.height;
    g.beginPath(); g.arc(x, y, i === shot.sample ? 6 : 3.5, 0, 2 * Math.PI);
    g.fillStyle = shot.labels && shot.labels[i] > 0 ? "#1f77b4" : "#d62728";
    g.fill(); g.strokeStyle = i === shot.sample ? "#000" : "#222";
    g.lineWidth = i === shot.sample ? 2 : 0.8; g.stroke();
  });
}

function drawNetwork(svg, shot) {
  const ns = "http://www.w3.org/2000/svg";
  svg.innerHTML = "";
  const columns = [shot.layers.length ? shot.layers[0].inputs : 0,
                   ...shot.layers.map((l) => Math.min(l.neurons, 64))];
  const x = (c) => 40 + c * (920 / Math.max(1, columns.length - 1));
  const y = (c, i) => 20 + (i + 0.5) * (280 / columns[c]);
  const scale = Math.max(1e-12, ...shot.layers.flatMap((l) => l.weights.flat().map(Math.abs)));
  shot.layers.forEach((layer, c) => layer.weights.forEach((row, j) => row.forEach((w, i) => {
    if (i >= 64) return;
    const line = document.createElementNS(ns, "line");
    Object.entries({ x1: x(c), y1: y(c, i), x2: x(c + 1), y2: y(c + 1, j),
                     stroke: signColour(w, scale), "stroke-width": 0.3 + 3 * Math.abs(w) / scale })
      .forEach(([k, v]) => line.setAttribute(k, v));
    const tip = document.createElementNS(ns, "title");
    tip.textContent = `w = ${w}, grad = ${layer.weight_grads[j][i]}`;
    line.append(tip); svg.append(line);
  })));
  const activations = shot.activations || [];
  columns.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      const a = activations[c] ? activations[c][i] : null;
      const dot = document.createElementNS(ns, "circle");
      Object.entries({ cx: x(c), cy: y(c, i), r: Math.min(9, 120 / count + 2),
                       fill: signColour(a === null ? null : Math.tanh(a), 1),
                       stroke: "#333", "stroke-width": 0.8 })
        .forEach(([k, v]) => dot.setAttribute(k, v));
      const tip = document.createElementNS(ns, "title");
      tip.textContent = `${a}`;
      dot.append(tip); svg.append(dot);
    }
  });
}

function controls(parts, words, send, scrub) {
  const button = (label, action) => {
    const made = element("button", { type: "button" }, label);
    made.addEventListener("click", action);
    parts.controls.append(made);
    return made;
  };
  parts.pause = button(words.pause, () => send({ do: parts.paused ? "resume" : "pause" }));
  button(words.one, () => send({ do: "step" }));
  parts.controls.append(element("label", { for: "delay" }, words.slow));
  const delay = element("input", { id: "delay", type: "range", min: 0, max: 1, step: 0.05,
                                   value: 0 });
  delay.addEventListener("change", () => send({ do: "speed", value: Number(delay.value) }));
  parts.controls.append(delay);
  parts.controls.append(element("label", { for: "sample" }, words.sample));
  parts.sample = element("input", { id: "sample", type: "number", min: 0, value: 0,
                                    style: "width: 4em" });
  parts.sample.addEventListener("change", () =>
    send({ do: "sample", value: Number(parts.sample.value) }));
  parts.controls.append(parts.sample);
  parts.controls.append(element("label", { for: "scrub" }, words.history));
  parts.scrub = element("input", { id: "scrub", type: "range", min: 0, max: 0, value: 0 });
  parts.scrub.addEventListener("input", () => scrub(Number(parts.scrub.value)));
  parts.controls.append(parts.scrub);
}

export function view(root, lang, send) {
  const words = WORDS[lang] || WORDS.en;
  const parts = layout(root, words);
  const seen = [];
  const show = (shot) => {
    parts.stepText.textContent = `${words.step} ${shot.step}`;
    parts.lossText.textContent = `${words.loss} ${shot.loss === null ? "NaN" : shot.loss.toFixed(4)}`;
    parts.state.textContent = shot.paused ? words.paused : "";
    parts.paused = shot.paused;
    parts.pause.textContent = shot.paused ? words.resume : words.pause;
    // the sample shown, whoever chose it (the Python side, another page), unless being typed
    if (shot.sample !== undefined && document.activeElement !== parts.sample) {
      parts.sample.value = shot.sample;
    }
    drawCurve(parts.curve, shot.losses || []);
    parts.boundaryTitle.textContent = shot.classes ?
      `${words.predictions} ${shot.classes.correct} / ${shot.classes.count}` : words.boundary;
    drawBoundary(parts.boundary, shot);
    drawNetwork(parts.network, shot);
    if (shot.graph && shot.graph.svg) {
      parts.graph.innerHTML = shot.graph.svg;
      parts.graph.dataset.sample = shot.graph.sample;  // the sample it was drawn for
      parts.graphTitle.textContent = words.graph(shot.graph.sample);
    }
    else if (shot.graph) parts.graph.textContent = words.tooBig(shot.graph.nodes, shot.graph.limit);
  };
  controls(parts, words, send, (k) => seen[k] && show(seen[k]));
  let last = null;
  parts.boundary.addEventListener("click", (event) => {  // a new point where you click
    if (!last || !last.boundary || !last.labels) return;
    const [left, right, bottom, top] = last.boundary.extent;
    const box = parts.boundary.getBoundingClientRect();
    const a = left + (event.clientX - box.left) / box.width * (right - left);
    const b = top - (event.clientY - box.top) / box.height * (top - bottom);
    const classes = [...new Set(last.labels)].sort((p, q) => p - q);
    send({ do: "add", value: [a, b, event.shiftKey ? classes[0] : classes[classes.length - 1]] });
  });
  return {
    update(shot) {
      last = shot;
      seen.push(shot);
      if (seen.length > HISTORY) seen.shift();
      parts.scrub.max = seen.length - 1;
      const following = Number(parts.scrub.value) >= seen.length - 2;
      if (following) { parts.scrub.value = seen.length - 1; show(shot); }
    },
    closed() { parts.state.textContent = words.closed; },
  };
}

// The page: snapshots from /events, controls to /control.
export function start(root) {
  const lang = new URLSearchParams(location.search).get("lang") || "en";
  document.documentElement.lang = lang;
  const send = (message) => fetch("/control", { method: "POST", body: JSON.stringify(message) });
  const live = view(root, lang, send);
  const events = new EventSource("/events");
  events.onmessage = (event) => live.update(JSON.parse(event.data));
  events.onerror = () => live.closed();
}

// The Jupyter widget (anywidget): the model's "snapshot" trait, controls as messages.
export function render({ model, el }) {
  const live = view(el, model.get("lang") || "en", (message) => model.send(message));
  const shot = model.get("snapshot");
  if (shot && shot.step !== undefined) live.update(shot);
  model.on("change:snapshot", () => live.update(model.get("snapshot")));
}

export default { render };
