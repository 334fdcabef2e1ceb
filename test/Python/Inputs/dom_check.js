// Appended to a report page by report.test: measures the page as Chromium
// lays it out and writes what it found into the DOM (--dump-dom prints it).
(function () {
  const out = [];
  out.push('layer rows: ' +
           (document.querySelectorAll('table.layers tr').length - 1));
  out.push('compile rows: ' +
           (document.querySelectorAll('table.compile tr').length - 1));
  let texts = 0, clipped = [];
  // Rectangles on the page, so rotated axis titles count as drawn.
  for (const svg of document.querySelectorAll('svg')) {
    const s = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      ++texts;
      if (b.left < s.left - 0.5 || b.top < s.top - 0.5 ||
          b.right > s.right + 0.5 || b.bottom > s.bottom + 0.5)
        clipped.push(t.textContent);
    }
  }
  out.push('svg texts: ' + texts);
  out.push('clipped labels: ' + clipped.length + ' ' + clipped.join(' | '));
  out.push('roofline points: ' +
           document.querySelectorAll('circle.roofline-point').length);
  const pre = document.createElement('pre');
  pre.id = 'dom-check';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
})();
