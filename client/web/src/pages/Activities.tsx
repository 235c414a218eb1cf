import { Placeholder } from './Placeholder';

export default function Activities() {
  return <Placeholder label="dashboard" />;
}
