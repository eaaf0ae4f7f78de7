"""What every printed document is made with: the embedded CJK font (`fonts`), text set
and fitted (`text`), the colours and the pen (`drawing`), the bar chart (`chart`) and a
PDF writer that streams page by page (`stream`). The certificate, labels, print sheets
and the guide are drawn with these."""
