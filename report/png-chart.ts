/**
 * A chart.js configuration drawn to PNG on @napi-rs/canvas: no native build, no browser, so no
 * DOM, animation or responsiveness. Chart.js's global defaults are set here, once, for every
 * chart the harness draws.
 */
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, registerables } from 'chart.js';

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.responsive = false;
Chart.defaults.devicePixelRatio = 1;
Chart.defaults.font.family = 'sans-serif';

const WIDTH = 960;
const HEIGHT = 540;

export function drawPng(config: ChartConfiguration): Buffer {
  const canvas = createCanvas(WIDTH, HEIGHT);
  const ctx = canvas.getContext('2d');
  // A white background: PNG viewers in dark mode would otherwise show black text on black.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  // chart.js takes any 2D context with the canvas API; @napi-rs/canvas provides one.
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], config);
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png;
}
