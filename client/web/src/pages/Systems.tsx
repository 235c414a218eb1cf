import { Placeholder } from './Placeholder';

export default function Systems() {
  return <Placeholder label="dashboard" />;
}
