import { tokenize, termsOf } from '../api/src/analytics/text-themes.ts';
for (const t of ['取车等了一个多小时，太慢了', '车里很脏，有烟味', '还车时被收了额外费用，没有提前告知', '押金迟迟不退', 'Waited over an hour to pick up the car', 'Quick pick-up and friendly staff', '车辆很新很干净，下次还会再租', 'The car was dirty and smelled of smoke']) console.log(t, JSON.stringify(tokenize(t)), [...termsOf(t).phrases]);
