// trunk's loader hooks (data-initializer in index.html): the wasm download's progress and its
// failure go to the boot screen's guard (boot.js).
export default function initializer() {
  const boot = () => window.__xunjianBoot;
  return {
    onProgress: ({ current, total }) => boot() && boot().progress(current, total),
    onFailure: () => boot() && boot().failed(),
  };
}
